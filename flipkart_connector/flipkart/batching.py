"""The one helper that splits work to Flipkart's documented caps."""


def chunked(items, size):
    """Yield lists of at most ``size`` items, in order."""
    if size < 1:
        raise ValueError("size must be positive")
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
