"""A ticket link is recognised by its tracker and shown with the issue's key."""

import pytest

from workshops.tickets import check_url, recognise

TICKETS = [
    ("https://acme.atlassian.net/browse/SHOP-142", "jira", "Jira", "SHOP-142"),
    ("https://jira.acme.example/browse/CX_2-7?focusedCommentId=3", "jira", "Jira", "CX_2-7"),
    (
        "https://acme.atlassian.net/jira/software/projects/SHOP/boards/1?selectedIssue=SHOP-9",
        "jira",
        "Jira",
        "SHOP-9",
    ),
    (
        "https://linear.app/acme/issue/eng-123/size-guide-on-product-page",
        "linear",
        "Linear",
        "ENG-123",
    ),
    ("https://github.com/acme/shop/issues/17", "github", "GitHub", "acme/shop#17"),
    ("https://www.github.com/acme/shop/pull/18#discussion", "github", "GitHub", "acme/shop#18"),
    ("https://gitlab.com/acme/web/shop/-/issues/5", "gitlab", "GitLab", "acme/web/shop#5"),
    ("https://git.acme.example/team/app/-/merge_requests/8", "gitlab", "GitLab", "team/app!8"),
    (
        "https://dev.azure.com/acme/Shop/_workitems/edit/4021",
        "azure_devops",
        "Azure DevOps",
        "#4021",
    ),
    (
        "https://acme.visualstudio.com/Shop/_workitems/edit/77/",
        "azure_devops",
        "Azure DevOps",
        "#77",
    ),
    ("https://app.asana.com/0/1201/1209876543/f", "asana", "Asana", "1209876543"),
    ("https://app.asana.com/1/1100/project/1201/task/1208", "asana", "Asana", "1208"),
    ("https://trello.com/c/aB3dE9xZ/12-size-guide", "trello", "Trello", "aB3dE9xZ"),
    ("https://notion.so/acme/Size-guide-8f2a", "link", "Link", "notion.so"),
    ("https://github.com/acme/shop", "link", "Link", "github.com"),
    ("http://intranet.acme.example/tickets?id=4", "link", "Link", "intranet.acme.example"),
]


@pytest.mark.parametrize(("url", "tracker", "name", "key"), TICKETS)
def test_a_ticket_link_is_recognised_by_its_tracker(url, tracker, name, key):
    ticket = recognise(check_url(url))

    assert (ticket.tracker, ticket.name, ticket.key) == (tracker, name, key)
    assert ticket.url == url


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "ftp://files.acme.example/SHOP-1",
        "mailto:team@acme.example",
        "acme.atlassian.net/browse/SHOP-1",
        "https://",
        "http://[::1",
        "https://acme.example/a b",
        "",
        None,
        42,
        "https://acme.example/" + "x" * 500,
    ],
)
def test_only_http_links_with_a_host_are_tickets(value):
    assert check_url(value) is None


def test_a_ticket_link_is_trimmed():
    assert check_url("  https://trello.com/c/abc  ") == "https://trello.com/c/abc"
