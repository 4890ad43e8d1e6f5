"""Chỉ số báo cáo thủ công."""
