import gc

import pytest

from foodcommons.platform.process import settle_server_process


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


@pytest.mark.django_db
def test_settling_a_server_process_warms_the_caches_and_freezes_what_lives_so_far(unfrozen):
    from foodcommons.taxonomy.selectors import category_tree
    from foodcommons.territories.selectors import commune_index

    category_tree.cache_clear()
    commune_index.cache_clear()
    gc.unfreeze()
    settle_server_process()
    assert category_tree.is_built and commune_index.is_built
    assert gc.get_freeze_count() > 10_000
