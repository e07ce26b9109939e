"""Staff accounts in one place: roles and the permissions each holds (`roles`), whose data a
user may see (`visibility`), the login backend, lockout page and forms, the access log of
personal data (`audit`), and their admin pages. The User model itself is `thutuc.User`
(thutuc/models/user.py), the project's AUTH_USER_MODEL since its first migration."""
