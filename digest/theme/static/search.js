/* digest's search page: queries the bundle `digest build` writes below search/data/
   (see digest/search.py for its format). Terms are made exactly as the indexer makes
   them: NFKC, lower case, ASCII words, CJK text as pairs of neighbouring characters.
   A page is a result when it has every word of the query; it ranks by BM25 (weights
   from the index times each term's rarity), and its best parts are listed under it. */
(function () {
  "use strict";

  var CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af";
  var TOKEN = new RegExp("[0-9a-z]+|[" + CJK + "]+", "g");
  var IS_CJK = new RegExp("^[" + CJK + "]");
  var VERSION = 5;  // digest/search.py's VERSION: the format this script reads
  var PREFIX = 3, LONGEST = 40, SHOWN = 10, PARTS = 3, EXCERPT = 110;

  function words(text) {
    return text.normalize("NFKC").toLowerCase().match(TOKEN) || [];
  }

  /* The terms of `text`, as digest/search.py's terms() gives them. */
  function terms(text) {
    var found = [];
    words(text).forEach(function (word) {
      if (IS_CJK.test(word)) {
        var chars = Array.from(word);
        if (chars.length === 1) { found.push(word); }
        for (var i = 0; i + 1 < chars.length; i++) { found.push(chars[i] + chars[i + 1]); }
      } else if (word.length <= LONGEST) {
        found.push(word);
      }
    });
    return found;
  }

  function bucketOf(term, buckets) {
    var key = IS_CJK.test(term) ? Array.from(term)[0] : term.slice(0, PREFIX);
    var h = 2166136261;
    for (var i = 0; i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
    }
    return h & (buckets - 1);
  }

  /* What a query asks for: a list of needs, each met by one term or by any term starting
     with a prefix (an ASCII word of three letters or more, a lone CJK character). CJK
     text has no spaces between words, so of its pairs only every other one is needed
     (most words are two characters); the pairs across them only raise the score. */
  function needs(query) {
    var list = [];
    words(query).forEach(function (word) {
      if (IS_CJK.test(word)) {
        var chars = Array.from(word);
        if (chars.length === 1) { list.push({ term: word, prefix: true }); }
        for (var i = 0; i + 1 < chars.length; i++) {  // 容器镜像: 容器 and 镜像, 器镜 a bonus
          var optional = i % 2 === 1 && i !== chars.length - 2;
          list.push({ term: chars[i] + chars[i + 1], prefix: false, optional: optional });
        }
      } else if (word.length <= LONGEST) {
        list.push({ term: word, prefix: word.length >= PREFIX });
      }
    });
    var seen = {};
    return list.filter(function (n) {  // a pair asked for twice is needed if either needs it
      var id = n.term + (n.prefix ? "*" : "");
      if (seen[id]) {
        seen[id].optional = seen[id].optional && n.optional;
        return false;
      }
      seen[id] = n;
      return true;
    });
  }

  var root = document.getElementById("search-data");
  if (!root) { return; }
  var base = root.getAttribute("data-base");
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var index = null, buckets = {}, pages = {}, current = null, shown = 0, serial = 0;

  function fetchJSON(path) {
    var url = base + "search/data/" + path + (index ? "?v=" + index.key : "");
    return fetch(url, index ? {} : { cache: "no-cache" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function loadIndex() {
    return index ? Promise.resolve(index) : fetchJSON("index.json").then(function (data) {
      if (data.version !== VERSION) { throw new Error("search index version " + data.version); }
      index = data;
      return data;
    });
  }

  /* A file of the bundle, fetched once; a failed fetch is forgotten, to be tried again. */
  function once(store, id, path) {
    if (!store[id]) {
      store[id] = fetchJSON(path).catch(function (err) {
        delete store[id];
        throw err;
      });
    }
    return store[id];
  }

  function loadBucket(n) { return once(buckets, n, "b/" + n + ".json"); }

  function loadPage(key) { return once(pages, key, "pages/" + key + ".json"); }

  /* Every page with all the needs, best first: [{key, score, parts: {part: score}}]. */
  function rank(wanted, loaded) {
    var perNeed = wanted.map(function (need) {
      var bucket = loaded[bucketOf(need.term, index.buckets)];
      var hits = {}, count = 0;  // page -> part -> weight; count = parts matched
      Object.keys(bucket).forEach(function (page) {
        var postings = bucket[page];
        var names = need.prefix ? Object.keys(postings).filter(function (t) {
          return t.lastIndexOf(need.term, 0) === 0;
        }) : (postings[need.term] ? [need.term] : []);
        names.forEach(function (name) {
          var p = postings[name];
          for (var i = 0; i < p.length; i += 2) {
            var parts = hits[page] || (hits[page] = {});
            if (parts[p[i]] === undefined) { count++; }
            parts[p[i]] = Math.max(parts[p[i]] || 0, p[i + 1]);
          }
        });
      });
      var idf = Math.log(1 + (index.parts - count + 0.5) / (count + 0.5));
      return { hits: hits, idf: idf };
    });
    var results = [];
    var required = perNeed.filter(function (n, i) { return !wanted[i].optional; });
    Object.keys(required[0].hits).forEach(function (page) {
      if (!required.every(function (n) { return n.hits[page]; })) { return; }
      var score = 0, parts = {};
      perNeed.forEach(function (n) {
        var best = 0;
        Object.keys(n.hits[page] || {}).forEach(function (part) {
          var s = n.idf * n.hits[page][part];
          parts[part] = (parts[part] || 0) + s;
          best = Math.max(best, s);
        });
        score += best;
      });
      results.push({ key: page, score: score, parts: parts });
    });
    results.sort(function (a, b) {  // equal scores: issues/12 before issues/2 (newer first)
      return b.score - a.score || b.key.localeCompare(a.key, "en", { numeric: true });
    });
    return results;
  }

  /* Up to EXCERPT characters of `text` around the first match, matches in <mark>. */
  function excerpt(text, marks) {
    var el = document.createElement("p");
    el.className = "search-excerpt";
    var pattern = marks.length ? new RegExp(marks.map(function (m) {
      return m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi") : null;
    var first = pattern ? text.search(pattern) : -1;
    var start = Math.max(0, first - 30);
    var piece = text.slice(start, start + EXCERPT);
    if (start > 0) { el.appendChild(document.createTextNode("…")); }
    var at = 0, m;
    if (pattern) {
      pattern.lastIndex = 0;
      while ((m = pattern.exec(piece)) !== null) {
        if (m[0] === "") { pattern.lastIndex++; continue; }
        el.appendChild(document.createTextNode(piece.slice(at, m.index)));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        el.appendChild(mark);
        at = m.index + m[0].length;
      }
    }
    el.appendChild(document.createTextNode(piece.slice(at)));
    if (start + EXCERPT < text.length) { el.appendChild(document.createTextNode("…")); }
    return el;
  }

  /* What to highlight: the query's words as typed (folded), longest first, then the CJK
     pairs, so that "容器镜像" marks the phrase where it occurs and its halves elsewhere. */
  function marksOf(query) {
    var marks = words(query).slice();
    needs(query).forEach(function (n) { if (marks.indexOf(n.term) < 0) { marks.push(n.term); } });
    return marks.sort(function (a, b) { return b.length - a.length; });
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function render(result, meta, marks) {
    var item = document.createElement("li");
    item.className = "search-result";
    var parts = Object.keys(result.parts).map(Number).sort(function (a, b) {
      return result.parts[b] - result.parts[a] || a - b;
    });
    var heading = document.createElement("h2");
    heading.className = "search-title";
    heading.appendChild(link(base + meta.url, meta.title + (meta.date ? " · " + meta.date : "")));
    item.appendChild(heading);
    if (result.parts[0] !== undefined || !meta.parts[parts[0]][1]) {  // the page's own text
      item.appendChild(excerpt(meta.parts[result.parts[0] !== undefined ? 0 : parts[0]][2], marks));
    }
    var subs = parts.filter(function (p) { return p !== 0 && meta.parts[p][1]; }).slice(0, PARTS);
    if (subs.length) {
      var ul = document.createElement("ul");
      ul.className = "search-parts";
      subs.forEach(function (p) {
        var li = document.createElement("li");
        li.appendChild(link(base + meta.url + "#" + meta.parts[p][0], meta.parts[p][1]));
        if (meta.parts[p][2]) { li.appendChild(excerpt(meta.parts[p][2], marks)); }
        ul.appendChild(li);
      });
      item.appendChild(ul);
    }
    return item;
  }

  function showMore() {
    var mine = serial, batch = current.results.slice(shown, shown + SHOWN);
    shown += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (r) { return loadPage(r.key); })).then(function (metas) {
      if (mine !== serial) { return; }
      metas.forEach(function (meta, i) { list.appendChild(render(batch[i], meta, current.marks)); });
      more.hidden = shown >= current.results.length;
    });
  }

  function search(query) {
    var mine = ++serial;
    var wanted = needs(query);
    list.textContent = "";
    more.hidden = true;
    if (!wanted.length) {
      status.textContent = query.trim() ? "请换个说法：查询里没有可以搜索的字词。" : "";
      return Promise.resolve();
    }
    status.textContent = "搜索中…";
    return loadIndex().then(function () {
      var numbers = {};
      wanted.forEach(function (n) { numbers[bucketOf(n.term, index.buckets)] = true; });
      var keys = Object.keys(numbers);
      return Promise.all(keys.map(loadBucket)).then(function (got) {
        var loaded = {};
        keys.forEach(function (k, i) { loaded[k] = got[i]; });
        return loaded;
      });
    }).then(function (loaded) {
      if (mine !== serial) { return; }
      current = { results: rank(wanted, loaded), marks: marksOf(query) };
      shown = 0;
      status.textContent = current.results.length ?
        "找到 " + current.results.length + " 篇与“" + query.trim() + "”相关的期刊与文章" :
        "没有找到与“" + query.trim() + "”相关的内容";
      return showMore();
    }).catch(function (err) {
      if (mine === serial) { status.textContent = "搜索暂时不可用，请稍后再试。"; }
      if (window.console) { console.error(err); }
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  more.addEventListener("click", function () { showMore(); });
  window.digestSearch = { terms: terms, bucketOf: bucketOf, search: search };
  var q = new URLSearchParams(location.search).get("q");
  if (q) {
    input.value = q;
    search(q);
  }
})();
