"""The notification centre: reminders and notices for one recipient, shown only as far as the read rule lets
that recipient read what they name, and sent by e-mail when SMTP is configured."""
