"""Where a webhook may send: http(s) only, and never to loopback, private or link-local
addresses (every address of a host checked) unless WEBHOOK_ALLOW_PRIVATE is on."""

import socket

import pytest

from notifications import addresses
from notifications.addresses import Refused, allowed_addresses, is_refused, target_of, url_check


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4 in IPv6 clothes
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_it_refuses_addresses_that_are_not_public(address):
    assert is_refused(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_it_allows_public_addresses(address):
    assert not is_refused(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/",
        "https://localhost/hook",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_it_refuses_urls_that_point_at_refused_addresses(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(Refused, match="public addresses only"):
        url_check(url)


def test_the_setting_lets_a_lan_install_reach_private_addresses(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert url_check("http://127.0.0.1:8000/hook") == "http://127.0.0.1:8000/hook"


@pytest.mark.parametrize(
    "url, why",
    [
        ("ftp://example.com/hook", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("gopher://example.com/", "Only http:// and https://"),
        ("example.com/hook", "Only http:// and https://"),
        ("https://", "no host name"),
        ("https://user:secret@example.com/", "no user name or password"),
        ("https://example.com:99999/", "port"),
        ("https://exa mple.com/", "no spaces"),
        ("", "Give the endpoint's URL"),
    ],
)
def test_it_refuses_what_is_not_an_http_url(url, why):
    with pytest.raises(Refused, match=why):
        url_check(url)


def test_every_address_of_a_host_is_checked(settings, monkeypatch):
    """A name with one public and one private address could be made to reach the private one."""
    settings.WEBHOOK_ALLOW_PRIVATE = False
    answers = [("93.184.215.14", 443), ("10.0.0.7", 443)]
    monkeypatch.setattr(
        addresses.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", a) for a in answers],
    )
    with pytest.raises(Refused, match="10.0.0.7"):
        allowed_addresses(target_of("https://receiver.example/hook"))


def test_a_host_that_does_not_resolve_now_is_kept_for_the_delivery_to_check(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(addresses.socket, "getaddrinfo", no_such_host)
    assert url_check("https://hooks.example.invalid/x") == "https://hooks.example.invalid/x"
    with pytest.raises(addresses.Unresolved):
        allowed_addresses(target_of("https://hooks.example.invalid/x"))


def test_a_target_names_its_host_for_the_host_header():
    assert target_of("https://Example.com/a?b=1").host_header == "example.com"
    assert target_of("http://[::1]:8080/").host_header == "[::1]:8080"
    assert target_of("https://bücher.example/").host == "xn--bcher-kva.example"
    assert target_of("https://example.com").path == "/"
