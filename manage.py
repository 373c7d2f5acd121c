#!/usr/bin/env python
import os
import sys

# Commands that write the project's own source files are development tools: they run in development mode, so
# they need no production secret. Every other command, the web server and the worker still require SECRET_KEY
# when DEBUG is off.
AUTHORING_COMMANDS = {"makemigrations", "makemessages", "compiletranslations"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomborder.settings")
    if sys.argv[1:2] and sys.argv[1] in AUTHORING_COMMANDS:
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
