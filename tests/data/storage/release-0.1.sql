-- A SQLite database as release 0.1 (before migrations) made it: SQLAlchemy create_all of its two tables, no
-- alembic_version; two engagements, one with a proposal version. The DDL is what that release wrote (sqlite_master).
CREATE TABLE engagements (
	id VARCHAR(32) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	country VARCHAR(3), 
	city VARCHAR(120), 
	status VARCHAR(20) NOT NULL, 
	owner VARCHAR(120) NOT NULL, 
	engagement JSON, 
	version INTEGER NOT NULL, 
	created DATETIME NOT NULL, 
	updated DATETIME NOT NULL, 
	archived BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE proposal_versions (
	id INTEGER NOT NULL, 
	engagement_id VARCHAR(32) NOT NULL, 
	pdf BLOB NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	catalog_version VARCHAR(40) NOT NULL, 
	inputs_hash VARCHAR(64) NOT NULL, 
	created DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(engagement_id) REFERENCES engagements (id) ON DELETE CASCADE
);
CREATE INDEX ix_proposal_versions_engagement_id ON proposal_versions (engagement_id);
INSERT INTO engagements VALUES ('6517e5d1c9a6', 'Da Nang', 'VNM', 'Da Nang', 'proposal', 'kim', '{"country": "VNM", "city": "Da Nang"}', 3,
  '2026-12-01 05:47:08.914233', '2026-12-02 05:47:08.914244', 0);
INSERT INTO engagements VALUES ('0a1b2c3d4e5f', 'Old archive', NULL, NULL, 'new', '', NULL, 1,
  '2026-11-20 10:00:00.000000', '2026-11-20 10:00:00.000000', 1);
INSERT INTO proposal_versions VALUES (1, '6517e5d1c9a6', X'255044462D6F6C64', 'en', '2026.11', 'abc', '2026-12-02 05:47:08.917035');
