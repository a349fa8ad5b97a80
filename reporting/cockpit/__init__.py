"""The chief's quarterly cockpit (季度工作驾驶舱): every target of the year for the district and each 所.

* ``base``: the period (year + quarter or 截至今日), a figure, an indicator, the indicator registry and the
  one status rule (colour) and trend rule.
* ``ind_*``: the indicators, one module per area; each module lists ``INDICATORS``. Every indicator computes
  its figures for the district and every unit of a period in a bounded number of queries, from the
  selectors of the app that holds the records. An area whose data is missing answers "未配置", never a
  made-up number.
* ``service``: compute all indicators for a period, the quarter-end snapshots, and the table the page,
  the API and the Word summary show (live vs snapshot, trend against the previous quarter and last year).
"""
