"""The OpenAPI schema matches the answers (issue 9): checked in depth by schemathesis, kept here by tests."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from reports.services import report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client, world):
    client.force_login(world.adviser)
    return yaml.safe_load(client.get(reverse("api-schema")).content)


def test_the_rating_is_documented_as_a_number_or_na(schema):
    rating = schema["components"]["schemas"]["Assessment"]["properties"]["rating"]
    assert {"type": "integer", "minimum": 0, "maximum": 4} in rating["oneOf"] and rating["nullable"] is True


def test_a_report_without_error_answers_a_documented_value(world, schema):
    job = report_request(review=world.review, by=world.adviser)
    api = APIClient()
    api.force_authenticate(world.adviser)
    error = api.get(reverse("api-report", args=[job.pk])).json()["error"]
    components = schema["components"]["schemas"]
    documented = schema["components"]["schemas"]["ReportJob"]["properties"]["error"]["oneOf"]
    allowed = [value for ref in documented for value in components[ref["$ref"].rsplit("/", 1)[1]]["enum"]]
    assert error == "" and error in allowed


def test_every_operation_documents_its_error_answers(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert {"400", "401", "403", "404", "429", "503"} <= set(operation["responses"]), (method, path)


def test_an_unknown_api_path_answers_json(client, world):
    client.force_login(world.adviser)
    response = client.get("/api/v1/reviews/null,null/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
