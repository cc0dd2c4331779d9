"""The tabs of a client's page, one module each; the page builds them and calls ``reload()``."""
