"""The registry's annual duties (年度自查报告, 责任书, 僵尸企业清理, 证照到期, 委托生产, 异地设库, UDI)."""
