"""The CIN census XML family (`cin/`, input contract §1.2): safe streaming read, XSD validation, flattening."""

from extract.cin.reader import read_cin
from extract.la_numbers import dfe_la_number

__all__ = ["dfe_la_number", "read_cin"]
