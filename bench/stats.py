"""Order statistics over latency samples (nearest-rank percentiles)."""
import math


def percentile(samples, q):
    """The nearest-rank q-quantile (0 < q <= 1) of samples; None if empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(samples):
    """p50, p90 and max of samples, and how many there were."""
    return {"n": len(samples), "p50": percentile(samples, 0.5),
            "p90": percentile(samples, 0.9), "max": max(samples) if samples else None}


def growth(samples):
    """p50 of the last 10% of samples over p50 of the first 10% (in call
    order): 1.0 means the cost did not grow with the number of attachments."""
    tenth = max(1, len(samples) // 10)
    first, last = percentile(samples[:tenth], 0.5), percentile(samples[-tenth:], 0.5)
    return last / first if first else None


def ratio(ours, theirs):
    """theirs / ours: how many times faster ours is (None if either is missing)."""
    if ours is None or theirs is None or ours == 0:
        return None
    return theirs / ours
