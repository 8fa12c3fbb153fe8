"""Spreadsheet files as such: reading what staff hand over, writing Excel workbooks."""
