"""Units and user accounts from an Excel workbook, memberships and the set-password mail.

The workbook has two sheets: "หน่วยงาน" (units: name, evidence prefix, parent unit) and
"ผู้ใช้" (users: name, e-mail, unit, role); either may be empty, not both. Units are
matched by evidence prefix, users by e-mail, so importing the same workbook again
changes nothing. Everything is written in one transaction, or nothing if any row of
either sheet is refused. A new user gets no password but an e-mail with a link to set
one (Django's password-reset token); an import never removes a unit, a user, a
membership or a right.

- ``workbook``: the two sheets' columns, the roles as they may be written, the
  template, reading the rows;
- ``plan``: what an import would create and change, every row checked;
- ``imports``: ``accounts_preview`` and ``accounts_import`` (the writes);
- ``mail``: the set-password mail;
- ``memberships``: a unit's members one at a time (the unit's members page).
"""
