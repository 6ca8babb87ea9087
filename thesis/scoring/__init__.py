"""Score: the as-of view, the score and rating, and how sure and how sensitive they are."""
