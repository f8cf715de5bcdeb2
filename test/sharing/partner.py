"""A partner's side of the sharing tests: the official delta-sharing connector, used as its docs show.

  partner.py <profile> tables                          the tables of every share the profile may read
  partner.py <profile> load <share.schema.table> [version]
  partner.py <profile> changes <share.schema.table> <start> <end>

Prints one JSON document on stdout: {"rows": [...]} with every value as text (None stays null), or
{"error": "...", "status": <http status>} when the server refuses.
"""
import datetime
import decimal
import json
import sys

import delta_sharing
from requests.exceptions import HTTPError


def text(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (decimal.Decimal, datetime.date, datetime.datetime)):
        return str(value)
    if hasattr(value, "item"):
        value = value.item()
    return str(value)


def rows(frame, columns=None):
    names = columns or list(frame.columns)
    return [[text(record[name]) for name in names] for record in frame.to_dict("records")]


def main(profile, command, *args):
    if command == "tables":
        client = delta_sharing.SharingClient(profile)
        return {"rows": [[t.share, t.schema, t.name] for t in client.list_all_tables()]}
    url = f"{profile}#{args[0]}"
    if command == "load":
        version = int(args[1]) if len(args) > 1 else None
        frame = delta_sharing.load_as_pandas(url, version=version)
        return {"columns": list(frame.columns), "rows": rows(frame)}
    if command == "changes":
        frame = delta_sharing.load_table_changes_as_pandas(url, starting_version=int(args[1]), ending_version=int(args[2]))
        return {"columns": list(frame.columns), "rows": rows(frame)}
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        result = main(*sys.argv[1:])
    except HTTPError as error:
        status = error.response.status_code if error.response is not None else None
        result = {"error": str(error), "status": status}
    json.dump(result, sys.stdout)
