"""Vivier: an expertise and engagement platform for organisations."""
