"""The middle stage: what the editor left unwritten, filled from what the scraper found."""
