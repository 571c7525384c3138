"""The second half of the authorization matrix (see test_matrix.py), on its own worker."""

import pytest

from tests.authz.test_matrix import check_module, share


@pytest.mark.django_db
@pytest.mark.parametrize("module", share(1))
def test_matrix(world, module):
    check_module(world, module)
