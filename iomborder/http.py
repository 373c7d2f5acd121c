"""What views share about HTTP."""

from django.views.decorators.http import require_http_methods

# A page with a form: shown with GET (and HEAD), sent with POST; any other method answers 405.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
