"""The two demo workshops, from the case studies in the design notes (figures from published
case studies): a retail clothing brand and a B2B insurer, their maps and the evidence behind
them. Data only: demo/management/commands/load_demo.py builds them through the services.
"""

from dataclasses import dataclass

from workshops.models import LaneKind, Role

PASSWORD = "demo"


USERS = [  # username, first name, role in both workshops
    ("demo", "Demo", Role.FACILITATOR),
    ("maria", "Maria", Role.EDITOR),
    ("sam", "Sam", Role.VIEWER),
]


@dataclass
class Story:
    workshop: str
    description: str
    persona: dict
    map_title: str
    map_description: str
    template: str
    # Per lane kind, one entry per stage in the template's order: None, one card or a list of
    # cards. A touchpoint is (channel, text), an emotion (score, text), a pain point (severity,
    # text); any other card is its text.
    lanes: dict


RETAIL = Story(
    workshop="Fernway Clothing: online store",
    description="A mid-price clothing brand selling mostly online. Why do shoppers fill their "
    "cart and leave, and what brings them back to buy?",
    persona={
        "name": "Hannah, the careful repeat browser",
        "segment": "Women 25-40 who buy mid-price fashion online 4-6 times a year",
        "description": "Follows the brand on Instagram, shops on her phone in the evening and "
        "finishes on her laptop. Saves what she likes and waits for payday or a discount.",
        "goals": "Clothes that fit the first time; no surprise costs; easy returns.",
    },
    map_title="Online clothing purchase",
    map_description="Current state, from analytics, session recordings and 12 customer "
    "interviews. Buyers use the cart as a wishlist and return about three times before buying.",
    template="b2c",
    lanes={
        LaneKind.TOUCHPOINTS: [
            ("Instagram", "Sponsored post and influencer try-on reels"),
            ("Website", "Category pages, product pages, size guide"),
            ("Website", "Cart used as a wishlist; site search for a saved item"),
            ("Website", "Checkout, payment, order confirmation e-mail"),
            ("E-mail", "Shipping updates, parcel delivery, returns portal"),
            ("E-mail", "New-in newsletter and remarketing ads"),
            ("Instagram", "Product reviews, tagged outfit photos"),
        ],
        LaneKind.ACTIONS: [
            "Sees a jacket in a reel and taps through to the product page",
            "Compares fits and fabrics, reads reviews, opens the size guide",
            "Adds items to the cart as a wishlist and leaves; comes back on average three times "
            "before buying",
            "Searches the site for the saved item right before buying, then checks out",
            "Tracks the parcel, tries everything on, returns what does not fit",
            "Opens the newsletter and browses new arrivals",
            "Leaves a review and posts an outfit photo",
        ],
        LaneKind.THOUGHTS: [
            "That jacket looks great. Is it my style?",
            "Will it fit me? How does the fabric feel?",
            "I'll keep it in the cart and decide after payday.",
            "Where did that jacket go? Is it still there in my size?",
            "Will it arrive before the weekend? Are returns free?",
            "Anything new that goes with my jacket?",
            "Friends keep asking where I got it.",
        ],
        LaneKind.EMOTIONS: [
            (1, "Curious and inspired"),
            (0, "Unsure about the size"),
            (-1, "Hesitant: not ready to commit"),
            (-2, "Frustrated: the saved item is hard to find again"),
            (1, "Relieved: it arrived and it fits"),
            (0, "Indifferent to generic newsletters"),
            (2, "Proud of the outfit"),
        ],
        LaneKind.PAIN_POINTS: [
            None,
            (2, "The size guide is a generic table, with no fit notes from other buyers"),
            (
                3,
                "The cart is the only wishlist: it expires after 7 days and is not shared "
                "between phone and laptop",
            ),
            [
                (
                    3,
                    "Site search misses colour and fabric synonyms: searchers hit empty results "
                    "right before buying",
                ),
                (2, "Delivery cost appears only at the last checkout step"),
            ],
            (2, "Returns need a printed label"),
            (1, "Newsletters ignore what she saved or bought"),
            (1, "Reviews cannot include photos"),
        ],
        LaneKind.OPPORTUNITIES: [
            "Link reels straight to the look, with the sizes in stock",
            'Fit notes from reviews ("runs small") next to the size selector',
            "A real wishlist kept across devices, with price-drop and low-stock alerts",
            "Search synonyms and recently viewed items in the search box; delivery cost on the "
            "product page",
            "QR-code returns, no printer needed",
            "Remarketing aimed at 3+ visit users and recent searchers (the case study saw 5x "
            "return on ad spend)",
            "Photo reviews and a share-your-outfit prompt after delivery",
        ],
        LaneKind.BACKSTAGE: [
            "Paid social team; influencer briefs",
            "Merchandising writes product copy; size data from the PIM",
            "Cart kept in a 7-day session cookie",
            "Search engine tuned once at launch; payment provider",
            "3PL warehouse; courier handles returns",
            "CRM segments by last purchase only",
            "Customer service moderates reviews weekly",
        ],
        LaneKind.KPIS: [
            "Reel click-through rate",
            "Product page views per session; size-guide opens",
            "3 return visits on average before purchase; cart abandonment rate",
            "8% of buyers use site search right before purchase; search exit rate",
            "Return rate by size",
            "Remarketing to 3+ visit users and searchers: 5x return on ad spend",
            "Reviews per 100 orders",
        ],
    },
)


INSURER = Story(
    workshop="Harbour Mutual: business insurance",
    description="A B2B insurer selling liability and property cover to small and mid-sized "
    "companies. Why do visitors who want a policy not reach the product pages?",
    persona={
        "name": "Peter, operations manager",
        "segment": "SMEs with 20-200 employees buying liability and property cover",
        "description": "Handles insurance alongside facilities and suppliers. Researches alone, "
        "then needs the CFO's approval before anything is signed.",
        "goals": "Find the right cover quickly, get a quote the CFO will approve, avoid long "
        "calls with agents.",
    },
    map_title="Buying business insurance online",
    map_description="Current state before the website redesign, from analytics, heatmaps and "
    "session recordings: visitors skip the homepage content and fall back to the main navigation.",
    template="b2b",
    lanes={
        LaneKind.TOUCHPOINTS: [
            ("Search", 'Google results for "business liability insurance"'),
            ("Website", "Homepage carousel, main navigation, product subpages"),
            ("Phone", 'Consultation call after the "Request a quote" lead form'),
            ("E-mail", "Quote PDF forwarded to the CFO"),
            ("Website", '"Buy Policy" button and online application'),
            ("Customer portal", "Policy documents and certificates of insurance"),
            ("E-mail", "Renewal notice 30 days before expiry"),
        ],
        LaneKind.ACTIONS: [
            "Searches for cover after a new contract demands liability insurance",
            "Skips the homepage content and falls back to the main navigation to find a product",
            "Fills in the lead form to get a consultation and a quote",
            "Forwards the quote and answers the CFO's questions about exclusions",
            'Clicks "Buy Policy" and types the company details again',
            "Downloads the policy and sends certificates to clients",
            "Compares the renewal price with other insurers",
        ],
        LaneKind.THOUGHTS: [
            "Which insurers cover companies like ours?",
            "Where is the page for my kind of business?",
            "I just want a ballpark price before I talk to anyone.",
            "How do I explain the difference between these two quotes?",
            "Why do I have to type all this again?",
            "Where is the certificate this client is asking for?",
            "Has anything changed, or is this just a price rise?",
        ],
        LaneKind.EMOTIONS: [
            (0, "Neutral: one more task on the list"),
            (-2, "Lost on the homepage"),
            (-1, "Impatient, waiting for a call-back"),
            (-1, "Under pressure to justify the cost"),
            (0, "Relieved to be done, annoyed at re-typing"),
            (1, "Reassured: documents arrive at once"),
            (0, "Wary of the new price"),
        ],
        LaneKind.PAIN_POINTS: [
            None,
            [
                (
                    3,
                    "Visitors skip the homepage content and fall back to the main navigation: "
                    "product subpages are hard to reach",
                ),
                (2, "Products are named in insurer jargon, not by the customer's situation"),
            ],
            (3, "The lead form asks 14 questions; only 0.84% of visitors complete it"),
            (2, "The quote PDF neither compares options nor explains exclusions"),
            [
                (3, '"Buy Policy" sits below the fold: only 3% of visitors click it'),
                (2, "Company details typed again after the quote"),
            ],
            (1, "Certificates only by e-mail request"),
            (2, "The renewal notice shows the new price with no explanation"),
        ],
        LaneKind.OPPORTUNITIES: [
            "Landing pages per industry that match search intent",
            "Homepage entry points per type of business (after the redesign, +15% of visitors "
            "reached product subpages)",
            "A shorter lead form with a price range up front (lead conversion 0.84% to 1.2%, "
            "+37% qualified leads)",
            "A one-page comparison for approvers, shared as a link",
            '"Buy Policy" visible on every product page (clicks 3% to 4.5-5%, +50% purchase '
            "intent)",
            "Self-service certificates in the portal",
            "A renewal review call for accounts with claims or price changes",
        ],
        LaneKind.BACKSTAGE: [
            "SEO agency; paid search budget per product line",
            "Marketing manages the homepage carousel in the CMS",
            "CRM routes leads to account managers by region",
            "Underwriters prepare quotes within 2 working days",
            "Quote data is not passed on to the application",
            "The service team produces certificates by hand",
            "Renewal pricing runs in a batch 45 days ahead",
        ],
        LaneKind.KPIS: [
            "Organic sessions landing on product pages",
            "Share of visitors reaching product subpages (+15% after the redesign)",
            "Lead form conversion: 0.84% before, 1.2% after the redesign",
            "Days from quote to approval",
            '"Buy Policy" click rate: 3% before, 4.5-5% after the redesign',
            "Time to first certificate",
            "Renewal retention rate",
        ],
    },
)


STORIES = [RETAIL, INSURER]


# The evidence behind each demo map, from the same case studies: (stage, the start of the text
# of the card it is about or None for the stage itself, the piece). `days_ago` dates it.
# Some stages are left without any, so that the board shows what is still an assumption.
EVIDENCE = {
    RETAIL.map_title: [
        (
            "Research",
            None,
            {
                "kind": "survey",
                "question": "How sure were you about your size before ordering?",
                "answer": "Not sure at all. The size guide is just a table of numbers.",
                "score": 2,
                "score_scale": "csat",
                "segment": "First-time buyers",
                "source": "Post-purchase survey",
                "days_ago": 140,
            },
        ),
        (
            "Decision",
            "Adds items to the cart as a wishlist",
            {
                "kind": "metric",
                "name": "Visits before purchase (average)",
                "value": 3,
                "unit": "visits",
                "period": "Last 90 days",
                "source": "GA4",
                "sample_size": 18400,
                "days_ago": 12,
            },
        ),
        (
            "Decision",
            None,
            {
                "kind": "quote",
                "text": "I leave things in the cart until payday, then I come back and buy.",
                "who": "Returning buyer",
                "source": "Customer interview",
                "days_ago": 30,
            },
        ),
        (
            "Purchase",
            "Searches the site for the saved item",
            {
                "kind": "metric",
                "name": "Buyers who use site search right before purchase",
                "value": 8,
                "unit": "%",
                "period": "Last 90 days",
                "source": "GA4",
                "days_ago": 12,
            },
        ),
        (
            "Purchase",
            None,
            {
                "kind": "recording",
                "url": "https://insights.hotjar.com/r?site=1843210&recording=7741305",
                "start_seconds": 94,
                "note": "Searches for “green jacket”, gets no results, tries “olive” and finds it",
                "days_ago": 20,
            },
        ),
        (
            "Purchase",
            None,
            {
                "kind": "image",
                "caption": "Click heatmap of the search results "
                "page: most clicks on the empty-results message",
                "days_ago": 20,
            },
        ),
        (
            "Retention",
            "Remarketing aimed at 3+ visit users",
            {
                "kind": "metric",
                "name": "Return on ad spend, remarketing to 3+ visit users and searchers",
                "value": 5,
                "unit": "x",
                "period": "Campaign, 6 weeks",
                "source": "Google Ads",
                "days_ago": 8,
            },
        ),
    ],
    INSURER.map_title: [
        (
            "Research",
            None,
            {
                "kind": "metric",
                "name": "Visitors reaching product subpages (change after the redesign)",
                "value": 15,
                "unit": "%",
                "source": "GA4",
                "days_ago": 10,
            },
        ),
        (
            "Research",
            "Skips the homepage content",
            {
                "kind": "recording",
                "url": "https://insights.hotjar.com/r?site=2291044&recording=5510872",
                "start_seconds": 42,
                "note": "Scrolls past the carousel, then opens the main navigation",
                "days_ago": 45,
            },
        ),
        (
            "Research",
            None,
            {
                "kind": "quote",
                "text": "I skipped all of that and went straight to the menu.",
                "who": "Operations manager, 80 employees",
                "source": "Usability test",
                "days_ago": 45,
            },
        ),
        (
            "Demo",
            "Fills in the lead form",
            {
                "kind": "metric",
                "name": "Lead form conversion",
                "value": 1.2,
                "baseline": 0.84,
                "unit": "%",
                "period": "8 weeks after the redesign",
                "source": "GA4",
                "days_ago": 10,
            },
        ),
        (
            "Internal approval",
            None,
            {
                "kind": "survey",
                "question": "What would make approving the quote easier?",
                "answer": "A one-page comparison I can forward to our CFO.",
                "segment": "Operations managers",
                "source": "On-site survey",
                "days_ago": 25,
            },
        ),
        (
            "Internal approval",
            None,
            {
                "kind": "survey",
                "question": "How likely are you to recommend Harbour Mutual to a colleague?",
                "answer": "Good cover, but the quote took too long.",
                "score": 6,
                "segment": "New customers",
                "source": "On-site survey",
                "days_ago": 25,
            },
        ),
        (
            "Purchase",
            'Clicks "Buy Policy"',
            {
                "kind": "metric",
                "name": "“Buy Policy” clicks",
                "value": 4.5,
                "baseline": 3,
                "target": 5,
                "unit": "%",
                "period": "8 weeks after the redesign",
                "source": "Hotjar funnel",
                "days_ago": 10,
            },
        ),
    ],
}


# The work that follows a workshop, per map: an opportunity (by the start of its text), the pain
# points it answers, its owner (a demo username), status, impact, effort and tickets.
WORK = {
    "Online clothing purchase": [
        (
            "A real wishlist kept across devices",
            ["The cart is the only wishlist"],
            "maria", "in_progress", 5, 3,
            ["https://fernway.atlassian.net/browse/SHOP-142"],
        ),
        (
            "Search synonyms and recently viewed items",
            ["Site search misses colour", "Delivery cost appears only"],
            "demo", "planned", 4, 2,
            ["https://github.com/fernway/storefront/issues/318"],
        ),
        ("QR-code returns", ["Returns need a printed label"], "maria", "shipped", 3, 2, []),
    ],
    "Buying business insurance online": [
        (
            "A shorter lead form",
            ["The lead form asks 14 questions"],
            "maria", "shipped", 5, 2,
            ["https://linear.app/northbridge/issue/WEB-77/shorter-lead-form"],
        ),
        (
            '"Buy Policy" visible on every product page',
            ['"Buy Policy" sits below the fold'],
            "demo", "in_progress", 4, 1,
            [],
        ),
    ],
}  # fmt: skip

# Comments left after the workshop: (card text start, author, text); @name mentions a member.
COMMENTS = {
    "Online clothing purchase": [
        (
            "The cart is the only wishlist",
            "maria",
            "@demo the session recordings show this on 1 in 4 mobile visits: worth a spike?",
        ),
        ("A real wishlist kept across devices", "demo", "@maria agreed, first slice in SHOP-142."),
    ],
    "Buying business insurance online": [
        ("The lead form asks 14 questions", "maria", "@sam the new form is live: 9 questions."),
    ],
}
