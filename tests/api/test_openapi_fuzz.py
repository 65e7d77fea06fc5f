"""Schemathesis drives every documented operation with generated requests, valid and invalid, and checks each
response against the OpenAPI document: status codes, content types, bodies, and that invalid input is rejected.

Driven through schemathesis's Python API with Hypothesis directly: its pytest plugin does not run on pytest 9.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 25


@pytest.mark.parametrize("role", ["admin", "credit_officer", "rights_officer"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_every_operation_honours_its_contract(app, token_for, mode, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = token_for(role)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # a schema-valid body may still break a business rule (an IIN checksum, remaining term > term): 422.
            # A case whose Authorization header is the invalid part keeps it: our token would make it valid.
            bad_header = mode is GenerationMode.NEGATIVE and case.meta.is_negative_at(ParameterLocation.HEADER)
            sent = None if bad_header else headers
            response = case.call(headers=sent)
            if mode is GenerationMode.NEGATIVE and response.status_code == 413:
                return  # a corrupted body over 1 MiB (e.g. too many items) is rejected by size: a rejection too
            case.validate_response(response, headers=sent, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to corrupt, e.g. GET /health
        except Exception as failure:  # name the operation, keep schemathesis's report
            raise AssertionError(f"{operation.label} ({mode.value}): {failure}") from failure
