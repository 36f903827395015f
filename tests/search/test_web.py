"""The search page and the box in every page's header."""

from django.test import Client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_has_the_search_box_in_its_header(carol, workshop):
    page = logged_in(carol).get(f"/workshops/{workshop.pk}/").content.decode()

    assert 'role="search"' in page and 'action="/search/"' in page


def test_the_page_lists_the_results_with_the_words_marked_and_the_rest_escaped(
    carol, bob, journey_map, write_card
):
    card = write_card("<script>alert(1)</script> size guide", actor=bob)

    response = logged_in(carol).get("/search/", {"q": "size"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/maps/{journey_map.pk}/#card-{card}"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>size</mark> guide" in page
    assert "<script>alert(1)" not in page
    assert "1 result for “size”" in page


def test_the_page_says_when_nothing_is_found(carol):
    page = logged_in(carol).get("/search/", {"q": "quokka"}).content.decode()

    assert "Nothing found for “quokka”." in page


def test_a_query_that_asks_nothing_shows_the_box_and_too_much_says_why(carol):
    client = logged_in(carol)

    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "x" * 300})
    assert response.status_code == 400
    assert "Search for at most 200 characters." in response.content.decode()


def test_the_page_needs_a_login(db):
    response = Client().get("/search/", {"q": "size"})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
