"""env_bool: the words it knows, and a refusal that names the variable for the ones it does not."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cjm.settings import env_bool


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE", "Yes", " on ", "\tOn\n"])
def test_true_words(monkeypatch, value):
    monkeypatch.setenv("CJM_TEST_FLAG", value)
    assert env_bool("CJM_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "FALSE", "No", " off ", "OFF\n"])
def test_false_words(monkeypatch, value):
    monkeypatch.setenv("CJM_TEST_FLAG", value)
    assert env_bool("CJM_TEST_FLAG", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_unset_or_empty_means_the_default(monkeypatch, default):
    monkeypatch.delenv("CJM_TEST_FLAG", raising=False)
    assert env_bool("CJM_TEST_FLAG", default) is default
    for blank in ["", "  "]:
        monkeypatch.setenv("CJM_TEST_FLAG", blank)
        assert env_bool("CJM_TEST_FLAG", default) is default


@pytest.mark.parametrize("value", ["ture", "enabled", "2", "y", "of f"])
def test_an_unknown_word_is_refused(monkeypatch, value):
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured) as refusal:
        env_bool("SECURE_COOKIES", True)
    message = str(refusal.value)
    assert "SECURE_COOKIES" in message
    assert repr(value) in message
    for word in ["1", "0", "true", "false", "yes", "no", "on", "off"]:
        assert word in message
