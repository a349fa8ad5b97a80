"""OpenAPI postprocessing: document the error answers every operation can give (schemathesis checks them)."""

from __future__ import annotations

ERROR_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "additionalProperties": True,
            "description": "字段名 → 错误信息列表，或 detail：说明",
        }
    }
}
DESCRIPTIONS = {
    "400": "输入有误（字段错误或业务规则不满足），不做任何修改",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作（只读账号、其他单位的记录）",
    "404": "不存在或不在你的权限范围内",
    "405": "不支持的请求方法",
    "409": "记录已被他人修改或状态冲突",
    "414": "请求地址过长（由 Web 服务器拒绝，无 JSON 内容）",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_error_responses(result, generator, request, public):
    """Add 400/401/403/404 to every operation, 409 to writes and 414 where a query string is read."""
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404"]  # 404: an object out of reach, or a page past the end
            if method in WRITE_METHODS:
                codes.append("409")
            for code in codes:
                operation["responses"].setdefault(code, {"description": DESCRIPTIONS[code], "content": ERROR_BODY})
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                # gunicorn (and the proxy in front) refuse an over-long request line before Django sees it
                operation["responses"].setdefault("414", {"description": DESCRIPTIONS["414"]})
    return result
