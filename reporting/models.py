"""Statistical returns, their workflow and the download centre (filled in by the reporting work)."""
