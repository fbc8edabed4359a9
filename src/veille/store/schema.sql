-- The SQLite store of veille. One place for the whole schema; SCHEMA_VERSION in
-- sqlite.py is written to PRAGMA user_version and must change with this file.
--
-- articles holds every exported field (lists as JSON); the tables after it repeat what
-- the web interface and the reports query (events, actor mentions, quotes, stories) in
-- indexed rows, so that those reads never parse the JSON of every article.

CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,               -- insertion order; the FTS rowid
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    locator TEXT NOT NULL DEFAULT '',
    url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    lang TEXT,
    lang_score REAL,
    text TEXT NOT NULL,
    dropped TEXT NOT NULL DEFAULT '[]',        -- JSON list of strings
    comments TEXT NOT NULL DEFAULT '[]',       -- JSON list of {text, duplicate_of}
    paragraphs TEXT NOT NULL DEFAULT '[]',     -- JSON list of [start, end]
    content_hash TEXT NOT NULL DEFAULT '',
    actors TEXT NOT NULL DEFAULT '[]',         -- JSON, export shape
    quotes TEXT NOT NULL DEFAULT '[]',
    cited_sources TEXT NOT NULL DEFAULT '[]',
    events TEXT NOT NULL DEFAULT '[]',
    tokens INTEGER NOT NULL DEFAULT 0,
    duplicate_of TEXT,
    story TEXT,
    extra TEXT NOT NULL DEFAULT '{}',          -- record fields added after this schema
    stored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source, locator);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE INDEX IF NOT EXISTS articles_lang ON articles(lang);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
-- exact copies are looked up by their content hash at any distance in time (version 4)
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);

-- Full-text search over title and text. unicode61 with remove_diacritics 2 folds
-- accents ("etats" finds "États"); apostrophes separate tokens ("d’espionnage" is
-- "d" + "espionnage").
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

-- One row per event of an article (idx: its position in the article's list).
CREATE TABLE IF NOT EXISTS events (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    cameo TEXT,
    actor TEXT,
    recipient TEXT,
    modality TEXT,
    according_to TEXT,
    date TEXT,                 -- the event's date, else the article's publication date
    span_start INTEGER,
    span_end INTEGER,
    sentence TEXT,
    context TEXT NOT NULL DEFAULT '[]',
    trigger TEXT,
    goldstein REAL,            -- Goldstein value of the CAMEO code (version 3)
    quad_class TEXT,           -- PLOVER quad class of the type (version 3)
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_actor ON events(actor, recipient, type);
CREATE INDEX IF NOT EXISTS events_recipient ON events(recipient, type);
CREATE INDEX IF NOT EXISTS events_type ON events(type, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
-- an actor's page lists its events newest first (version 2)
CREATE INDEX IF NOT EXISTS events_actor_date ON events(actor, date);
CREATE INDEX IF NOT EXISTS events_recipient_date ON events(recipient, date);

-- Event records (version 3): the events of a story's articles that tell the same act, as
-- one row, and which article events mention it (veille/eventrecords decides the grouping;
-- a story's records are replaced whenever its articles change).
CREATE TABLE IF NOT EXISTS event_records (
    id TEXT PRIMARY KEY,
    story TEXT,
    type TEXT NOT NULL,
    cameo TEXT,
    actor TEXT,
    recipient TEXT,
    date TEXT,                 -- the most precise date its mentions give
    goldstein REAL,
    quad_class TEXT,
    first_reported TEXT,
    last_reported TEXT,
    n_mentions INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_outlets INTEGER NOT NULL DEFAULT 0,
    n_sources INTEGER NOT NULL DEFAULT 0,
    outlets TEXT NOT NULL DEFAULT '[]',
    sources TEXT NOT NULL DEFAULT '[]',      -- JSON: independent sources and their chains
    modalities TEXT NOT NULL DEFAULT '{}',   -- JSON: modality -> number of mentions
    place TEXT                               -- JSON: where it happened, if named (version 5)
);
CREATE INDEX IF NOT EXISTS event_records_story ON event_records(story);
CREATE INDEX IF NOT EXISTS event_records_actor ON event_records(actor, first_reported);
CREATE INDEX IF NOT EXISTS event_records_recipient ON event_records(recipient, first_reported);
CREATE INDEX IF NOT EXISTS event_records_type ON event_records(type, first_reported);
CREATE INDEX IF NOT EXISTS event_records_first ON event_records(first_reported);
CREATE TABLE IF NOT EXISTS event_mentions (
    record_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,      -- the event's position in the article (events.idx)
    source_key TEXT,           -- the independent source it counts under
    PRIMARY KEY (record_id, article_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_mentions_article ON event_mentions(article_id, idx);

-- Canonical actors (latest description seen) and their mentions per article.
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT,
    country TEXT,
    sector TEXT
);
CREATE TABLE IF NOT EXISTS actor_mentions (
    article_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    name TEXT,
    aliases TEXT NOT NULL DEFAULT '[]',
    mentions TEXT NOT NULL DEFAULT '[]',   -- JSON list of [start, end]
    n_mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actor_mentions_actor ON actor_mentions(actor_id);

CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    speaker TEXT,
    speaker_name TEXT,
    text TEXT NOT NULL,
    direct INTEGER NOT NULL DEFAULT 1,
    span_start INTEGER,
    span_end INTEGER,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);

-- Stories found by the cluster stage, and which articles belong to them.
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    first_published TEXT,
    last_published TEXT,
    n_articles INTEGER NOT NULL DEFAULT 0,
    actors TEXT NOT NULL DEFAULT '[]',
    outlets TEXT NOT NULL DEFAULT '[]',
    cited_sources TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_last ON stories(last_published);
CREATE TABLE IF NOT EXISTS story_articles (
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (story_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_articles_article ON story_articles(article_id);

-- Inputs (or parts of inputs) that could not be processed. A later success of the
-- same source and locator removes the row.
CREATE TABLE IF NOT EXISTS failures (
    source TEXT NOT NULL,
    locator TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    time TEXT NOT NULL,
    PRIMARY KEY (source, locator, stage)
);
CREATE INDEX IF NOT EXISTS failures_time ON failures(time);

-- Persistent state of the corpus stages (duplicate index, story index), as JSON.
CREATE TABLE IF NOT EXISTS state (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
