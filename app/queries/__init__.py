"""Reads shared by pages, the dashboard, reports and exports: plain functions over a Session, no Flask."""
