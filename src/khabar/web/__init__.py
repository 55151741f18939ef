"""``khabar serve``: FastAPI JSON API and right-to-left Arabic pages over the knowledge base.

Routes (each page has a JSON twin, linked from it with ``rel="alternate"``):

=====================  ==========================  ==========================================
page                   JSON                        what
=====================  ==========================  ==========================================
``/``                  ``/api/stats``              counts, most mentioned entities
``/search?q=``         ``/api/search?q=``          folded full-text search, snippets, offsets
``/articles/{id}``     ``/api/articles/{id}``      the article, entities and quotes highlighted
``/entities?q=``       ``/api/entities?q=``        entities across articles, name variants
``/entities/{n}``      ``/api/entities/{n}``       an entity/speaker: quotes, articles
``/quotes?speaker=``   ``/api/quotes?speaker=``    quotes, by speaker
=====================  ==========================  ==========================================

OpenAPI at ``/openapi.json``; ``limit`` (1-100) and ``offset`` page every list.
"""
