-- A findings store as pdscan made it before schema versions (the layout of main before issue 19's
-- store step: tables from SQLAlchemy's create_all, the DSAR tables from the case log's own metadata).
-- tests/store/test_migrations.py builds an old store from it.
CREATE TABLE scans (
	id INTEGER NOT NULL,
	started VARCHAR(32) NOT NULL,
	finished VARCHAR(32),
	sources TEXT NOT NULL,
	policy VARCHAR(200),
	key_id VARCHAR(64),
	settings VARCHAR(64),
	summary TEXT,
	interrupted BOOLEAN,
	PRIMARY KEY (id)
);
CREATE TABLE labels (
	id INTEGER NOT NULL,
	identity VARCHAR(64),
	source TEXT,
	container TEXT,
	field TEXT,
	label VARCHAR(20) NOT NULL,
	note TEXT,
	version VARCHAR(64),
	created VARCHAR(32) NOT NULL,
	entity VARCHAR(64),
	removed VARCHAR(32),
	PRIMARY KEY (id)
);
CREATE TABLE items (
	scan_id INTEGER NOT NULL,
	source TEXT NOT NULL,
	container TEXT NOT NULL,
	status VARCHAR(16) NOT NULL,
	reason VARCHAR(40),
	detail TEXT,
	bytes BIGINT,
	records BIGINT,
	version TEXT,
	carried_from INTEGER,
	sampled TEXT,
	FOREIGN KEY(scan_id) REFERENCES scans (id)
);
CREATE INDEX ix_items_scan_id ON items (scan_id);
CREATE TABLE findings (
	scan_id INTEGER NOT NULL,
	identity VARCHAR(64) NOT NULL,
	kind VARCHAR(8) NOT NULL,
	entity VARCHAR(64) NOT NULL,
	category VARCHAR(64),
	ccpa_category VARCHAR(200),
	source TEXT NOT NULL,
	container TEXT NOT NULL,
	field TEXT,
	location TEXT NOT NULL,
	score FLOAT,
	detector VARCHAR(80),
	sample TEXT,
	samples TEXT,
	fingerprint VARCHAR(80),
	matches INTEGER,
	sampled INTEGER,
	ratio FLOAT,
	minors INTEGER,
	test_data BOOLEAN,
	carried_from INTEGER,
	FOREIGN KEY(scan_id) REFERENCES scans (id)
);
CREATE INDEX ix_findings_scan_id ON findings (scan_id);
CREATE INDEX ix_findings_identity ON findings (identity);
CREATE TABLE gone (
	scan_id INTEGER NOT NULL,
	source TEXT NOT NULL,
	container TEXT NOT NULL,
	last_scan INTEGER NOT NULL,
	FOREIGN KEY(scan_id) REFERENCES scans (id)
);
CREATE INDEX ix_gone_scan_id ON gone (scan_id);
CREATE TABLE dsar_cases (
	id VARCHAR(40) NOT NULL,
	kind VARCHAR(10) NOT NULL,
	requester VARCHAR(200),
	fingerprints TEXT NOT NULL,
	key_id VARCHAR(64) NOT NULL,
	received VARCHAR(10) NOT NULL,
	due VARCHAR(10) NOT NULL,
	status VARCHAR(10) NOT NULL,
	extended_to VARCHAR(10),
	extension_reason TEXT,
	closed VARCHAR(32),
	created VARCHAR(32) NOT NULL,
	PRIMARY KEY (id)
);
CREATE TABLE dsar_audit (
	id INTEGER NOT NULL,
	at VARCHAR(32) NOT NULL,
	who VARCHAR(200) NOT NULL,
	case_id VARCHAR(40),
	action VARCHAR(20) NOT NULL,
	detail TEXT,
	PRIMARY KEY (id)
);
