"""Demand classes by the average interval between sales (ADI) and the squared coefficient of
variation of the sale sizes (CV²), with the cut-offs of Syntetos, Boylan & Croston (2005):
smooth, erratic, intermittent, lumpy."""

import numpy as np

ADI_CUT = 1.32
CV2_CUT = 0.49
SMOOTH, ERRATIC, INTERMITTENT, LUMPY = "smooth", "erratic", "intermittent", "lumpy"


def adi_cv2(history: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per series: observed days ÷ days with a sale, and (std ÷ mean)² of the sizes of sales."""
    seen = np.isfinite(history)
    sales = np.where(seen, history, 0.0)
    sold = sales > 0
    count = sold.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        adi = seen.sum(axis=1) / count
        mean = sales.sum(axis=1) / count
        variance = np.where(sold, (sales - mean[:, None]) ** 2, 0.0).sum(axis=1) / count
        cv2 = variance / mean**2
    return np.where(count > 0, adi, np.inf), np.where(count > 0, np.nan_to_num(cv2), 0.0)


def demand_classes(history: np.ndarray) -> np.ndarray:
    adi, cv2 = adi_cv2(history)
    frequent = adi < ADI_CUT
    steady = cv2 < CV2_CUT
    return np.select([frequent & steady, frequent, steady], [SMOOTH, ERRATIC, INTERMITTENT], LUMPY)
