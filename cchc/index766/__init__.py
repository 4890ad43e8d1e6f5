"""Chỉ số phục vụ 766."""
