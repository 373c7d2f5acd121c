"""A real OpenID Connect provider for the tests (django-oauth-toolkit), run as a second Django process on the
loopback address by `serve.py`: discovery, the code flow with PKCE, RS256-signed ID tokens, userinfo. It knows
the people of PEOPLE (serve.py) and one client, iomborder's. Two of its people are deliberately mis-served, so
that the relying party's checks can be seen to refuse them: `wrong-audience` gets ID tokens made for another
client, `expired` gets ID tokens that expired two minutes ago."""
