"""One writer per output format; each takes rendered markup and writes a file."""
