"""Start the test OpenID Connect provider: `python -m tests.oidc_provider.serve PORT CONFIG.json`, where the JSON
names the client (client_id, client_secret, redirect_uri) and the people (username, password, e-mail, names,
groups). Prints "ready" once it listens."""

import json
import os
import sys
from pathlib import Path


def main() -> None:
    port, config_path = int(sys.argv[1]), sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    config = json.loads(Path(config_path).read_text())
    call_command("migrate", verbosity=0)
    client = config["client"]
    Application.objects.create(
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        name="iomborder",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        hash_client_secret=False,
    )
    for person in config["people"]:
        user = User.objects.create_user(
            person["username"],
            person["email"],
            person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)  # runserver's threaded server


if __name__ == "__main__":
    main()
