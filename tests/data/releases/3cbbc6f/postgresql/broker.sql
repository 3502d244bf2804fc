--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: @SCHEMA@; Type: SCHEMA; Schema: -; Owner: -
--



SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_authority; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.access_authority (
    id integer NOT NULL,
    kennung character varying(80) NOT NULL,
    name text NOT NULL,
    klasse character varying(20) NOT NULL,
    untertyp integer,
    anschrift text,
    administrator text NOT NULL,
    protokollierung_durch_betreiber boolean NOT NULL,
    gesperrt boolean NOT NULL,
    gesperrt_grund text,
    gesperrt_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    telefon text,
    email text,
    administrator_id integer,
    netze jsonb NOT NULL
);


--
-- Name: access_authority_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.access_authority_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_authority_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.access_authority_id_seq OWNED BY @SCHEMA@.access_authority.id;


--
-- Name: access_certificate; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.access_certificate (
    fingerprint character varying(64) NOT NULL,
    user_id integer NOT NULL,
    subject text NOT NULL,
    serial character varying(64) NOT NULL,
    not_after timestamp with time zone NOT NULL,
    bound_at timestamp with time zone NOT NULL
);


--
-- Name: access_event; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.access_event (
    seq integer NOT NULL,
    event_id character varying(36) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_kind character varying(20) NOT NULL,
    actor_name text NOT NULL,
    actor_authority character varying(80),
    actor_user_id integer,
    action character varying(40) NOT NULL,
    authority_kennung character varying(80),
    target character varying(120),
    details jsonb NOT NULL
);


--
-- Name: access_event_seq_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.access_event_seq_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_event_seq_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.access_event_seq_seq OWNED BY @SCHEMA@.access_event.seq;


--
-- Name: access_status; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.access_status (
    id integer NOT NULL,
    authority_id integer NOT NULL,
    user_id integer,
    at timestamp with time zone NOT NULL,
    actor text NOT NULL,
    gesperrt boolean NOT NULL,
    grund text
);


--
-- Name: access_status_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.access_status_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_status_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.access_status_id_seq OWNED BY @SCHEMA@.access_status.id;


--
-- Name: access_user; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.access_user (
    id integer NOT NULL,
    authority_id integer NOT NULL,
    kennung character varying(120) NOT NULL,
    name text NOT NULL,
    roles jsonb NOT NULL,
    erlaubte_elemente jsonb,
    gesperrt boolean NOT NULL,
    gesperrt_grund text,
    gesperrt_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    belehrt_am date,
    telefon text,
    email text,
    erlaubte_operationen jsonb
);


--
-- Name: access_user_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.access_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: access_user_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.access_user_id_seq OWNED BY @SCHEMA@.access_user.id;


--
-- Name: hand_over_case; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.hand_over_case (
    seq bigint NOT NULL,
    case_id character varying(36) NOT NULL,
    record_id character varying(36) NOT NULL,
    request_message_id character varying(255),
    person_id bigint,
    recipient character varying(80) NOT NULL,
    kind character varying(40) NOT NULL,
    duties jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    content bytea,
    disclosed jsonb NOT NULL,
    fetched_at timestamp with time zone,
    fetch_count integer DEFAULT 0 NOT NULL,
    fetched_by character varying(36),
    acknowledged_at timestamp with time zone,
    acknowledged_by character varying(36),
    purged_at timestamp with time zone
);


--
-- Name: hand_over_case_read; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.hand_over_case_read (
    id bigint NOT NULL,
    reader text NOT NULL,
    purpose character varying(40) NOT NULL,
    accessed_at timestamp with time zone NOT NULL,
    query jsonb NOT NULL,
    case_ids jsonb NOT NULL
);


--
-- Name: hand_over_case_read_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.hand_over_case_read_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: hand_over_case_read_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.hand_over_case_read_id_seq OWNED BY @SCHEMA@.hand_over_case_read.id;


--
-- Name: hand_over_case_seq_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.hand_over_case_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: hand_over_case_seq_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.hand_over_case_seq_seq OWNED BY @SCHEMA@.hand_over_case.seq;


--
-- Name: identifikationsmerkmal; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.identifikationsmerkmal (
    merkmal character varying(64) NOT NULL,
    person_id bigint NOT NULL,
    authority_id integer NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    request_message_id character varying(36)
);


--
-- Name: protocol_access; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_access (
    id bigint NOT NULL,
    reader text NOT NULL,
    purpose character varying(40) NOT NULL,
    accessed_at timestamp with time zone NOT NULL,
    query jsonb NOT NULL,
    record_ids jsonb NOT NULL
);


--
-- Name: protocol_access_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.protocol_access_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: protocol_access_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.protocol_access_id_seq OWNED BY @SCHEMA@.protocol_access.id;


--
-- Name: protocol_checkpoint; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_checkpoint (
    size bigint NOT NULL,
    root bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    note text NOT NULL
);


--
-- Name: protocol_log_node; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_log_node (
    level integer NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL
);


--
-- Name: protocol_log_state; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_log_state (
    id integer NOT NULL,
    size bigint NOT NULL,
    frontier jsonb NOT NULL,
    tagged_from_seq bigint NOT NULL,
    purged_until bigint DEFAULT 0 NOT NULL,
    purge_tag character varying(64)
);


--
-- Name: protocol_outbox; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_outbox (
    id bigint NOT NULL,
    record_id character varying(36) NOT NULL,
    kind character varying(64) NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    processed_at timestamp with time zone
);


--
-- Name: protocol_outbox_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.protocol_outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: protocol_outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.protocol_outbox_id_seq OWNED BY @SCHEMA@.protocol_outbox.id;


--
-- Name: protocol_payload; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_payload (
    record_id character varying(36) NOT NULL,
    period character varying(7) NOT NULL,
    nonce bytea NOT NULL,
    ciphertext bytea NOT NULL,
    answer_digest character varying(64) NOT NULL
);


--
-- Name: protocol_period_key; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_period_key (
    period character varying(7) NOT NULL,
    wrapped_key bytea,
    created_at timestamp with time zone NOT NULL,
    destroyed_at timestamp with time zone
);


--
-- Name: protocol_record; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.protocol_record (
    seq bigint NOT NULL,
    record_id character varying(36) NOT NULL,
    received_at timestamp with time zone NOT NULL,
    answered_at timestamp with time zone NOT NULL,
    service character varying(64) NOT NULL,
    outcome character varying(16) NOT NULL,
    outcome_codes jsonb NOT NULL,
    request_message_id character varying(255),
    answer_message_id character varying(255),
    request_digest character varying(64) NOT NULL,
    answer_digest character varying(64),
    client_address text,
    certificate_fingerprint text,
    authority_id integer,
    authority_kennung text,
    authority_name text,
    sicherheitsbehoerde boolean NOT NULL,
    user_id integer,
    user_kennung text,
    aktenzeichen text,
    anlass text,
    requesting_body jsonb NOT NULL,
    search_data jsonb NOT NULL,
    requested_elements jsonb NOT NULL,
    hits jsonb NOT NULL,
    hit_count integer NOT NULL,
    detail text,
    content_recorded boolean NOT NULL,
    disclosed jsonb DEFAULT '{}'::jsonb NOT NULL,
    withheld jsonb DEFAULT '[]'::jsonb NOT NULL,
    log_index bigint,
    content_digest character varying(64),
    tag character varying(64)
);


--
-- Name: protocol_record_seq_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.protocol_record_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: protocol_record_seq_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.protocol_record_seq_seq OWNED BY @SCHEMA@.protocol_record.seq;


--
-- Name: replay_claim; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.replay_claim (
    message_uuid character varying(64) NOT NULL,
    content_digest character varying(64) NOT NULL,
    claimed_at timestamp with time zone NOT NULL,
    record_id character varying(36),
    answer_message_id character varying(255),
    answered_at timestamp with time zone,
    reply_kind character varying(10),
    code character varying(32),
    message text,
    answer bytea
);


--
-- Name: schema_version; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.schema_version (
    component character varying(40) NOT NULL,
    version integer NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: store_heartbeat; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.store_heartbeat (
    holder character varying(200) NOT NULL,
    beat_at timestamp with time zone NOT NULL
);


--
-- Name: window_counter; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.window_counter (
    key character varying(120) NOT NULL,
    window_start bigint NOT NULL,
    count integer NOT NULL
);


--
-- Name: access_authority id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_authority ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.access_authority_id_seq'::regclass);


--
-- Name: access_event seq; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_event ALTER COLUMN seq SET DEFAULT nextval('@SCHEMA@.access_event_seq_seq'::regclass);


--
-- Name: access_status id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_status ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.access_status_id_seq'::regclass);


--
-- Name: access_user id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_user ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.access_user_id_seq'::regclass);


--
-- Name: hand_over_case seq; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.hand_over_case ALTER COLUMN seq SET DEFAULT nextval('@SCHEMA@.hand_over_case_seq_seq'::regclass);


--
-- Name: hand_over_case_read id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.hand_over_case_read ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.hand_over_case_read_id_seq'::regclass);


--
-- Name: protocol_access id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_access ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.protocol_access_id_seq'::regclass);


--
-- Name: protocol_outbox id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_outbox ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.protocol_outbox_id_seq'::regclass);


--
-- Name: protocol_record seq; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_record ALTER COLUMN seq SET DEFAULT nextval('@SCHEMA@.protocol_record_seq_seq'::regclass);


--
-- Data for Name: access_authority; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.access_authority VALUES (1, 'dbs:ordnungsamt-hannover', 'Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', 'oeffentlich', NULL, 'Trammplatz 2
30159 Hannover', 'Administration Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', false, false, NULL, NULL, '2026-11-29 08:51:20.359623+00', '+49 511 168-0', 'ordnung@hannover-stadt.example', 1, '["127.0.0.0/8", "::1/128"]');
INSERT INTO @SCHEMA@.access_authority VALUES (2, 'dbs:pd-hannover', 'Polizeidirektion Hannover', 'sicherheit', 1, 'Waterloostraße 9
30169 Hannover', 'Administration Polizeidirektion Hannover', true, false, NULL, NULL, '2026-11-29 08:51:20.394227+00', '+49 511 109-0', 'poststelle@pd-h.polizei.example', 3, '["127.0.0.0/8", "::1/128"]');


--
-- Data for Name: access_certificate; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.access_certificate VALUES ('28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722', 2, 'CN=ordnungsamt,O=datenspiegel Entwicklungs-PKI (nicht produktiv),C=DE', '688af0ea18985515f39e6584e135d3220e8ecd9f', '2028-11-28 08:46:19+00', '2026-11-29 08:51:20.385722+00');
INSERT INTO @SCHEMA@.access_certificate VALUES ('92cb6b53c0ed6a4d14961c53afef12e4ec5e171a4fa7223a913f892bbb6c351d', 4, 'CN=polizei,O=datenspiegel Entwicklungs-PKI (nicht produktiv),C=DE', '1e65f6ddc7ad28e354e3f50485a146549173b9cb', '2028-11-28 08:46:19+00', '2026-11-29 08:51:20.410582+00');


--
-- Data for Name: access_event; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.access_event VALUES (1, '16b45405-f265-4ad7-ba32-2591f2f23950', '2026-11-29 08:51:20.359623+00', 'system', 'datenspiegel init', NULL, NULL, 'authority.add', 'dbs:ordnungsamt-hannover', NULL, '{"name": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "email": "ordnung@hannover-stadt.example", "netze": ["127.0.0.0/8", "::1/128"], "klasse": "oeffentlich", "telefon": "+49 511 168-0", "untertyp": null, "anschrift": ["Trammplatz 2", "30159 Hannover"], "authority_id": 1, "administrator": {"name": "Administration Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "email": "ordnung@hannover-stadt.example", "kennung": "ADM-ordnungsamt", "telefon": "+49 511 168-0", "user_id": 1, "belehrt_am": "2026-11-29", "certificate": null}, "protokollierung_durch_betreiber": false}');
INSERT INTO @SCHEMA@.access_event VALUES (2, '3fa6db37-97a6-4791-8dd6-4ab6c86713ab', '2026-11-29 08:51:20.377878+00', 'system', 'datenspiegel init', NULL, NULL, 'user.add', 'dbs:ordnungsamt-hannover', 'OA-32.4-0815', '{"name": "Sachbearbeitung Bußgeldstelle", "roles": ["sachbearbeitung"], "kontakt": null, "user_id": 2, "belehrt_am": "2026-11-29", "certificate": null, "erlaubte_elemente": null, "erlaubte_operationen": null}');
INSERT INTO @SCHEMA@.access_event VALUES (3, '525dff68-80ba-493b-ba75-9c1ee4905d6e', '2026-11-29 08:51:20.385722+00', 'system', 'datenspiegel init', NULL, NULL, 'user.bind-certificate', 'dbs:ordnungsamt-hannover', 'OA-32.4-0815', '{"serial": "688af0ea18985515f39e6584e135d3220e8ecd9f", "subject": "CN=ordnungsamt,O=datenspiegel Entwicklungs-PKI (nicht produktiv),C=DE", "user_id": 2, "not_after": "2028-11-28T08:46:19+00:00", "fingerprint": "28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722"}');
INSERT INTO @SCHEMA@.access_event VALUES (4, '2b07c320-cbeb-44a4-96f1-d4dbc892de91', '2026-11-29 08:51:20.394227+00', 'system', 'datenspiegel init', NULL, NULL, 'authority.add', 'dbs:pd-hannover', NULL, '{"name": "Polizeidirektion Hannover", "email": "poststelle@pd-h.polizei.example", "netze": ["127.0.0.0/8", "::1/128"], "klasse": "sicherheit", "telefon": "+49 511 109-0", "untertyp": 1, "anschrift": ["Waterloostraße 9", "30169 Hannover"], "authority_id": 2, "administrator": {"name": "Administration Polizeidirektion Hannover", "email": "poststelle@pd-h.polizei.example", "kennung": "ADM-polizei", "telefon": "+49 511 109-0", "user_id": 3, "belehrt_am": "2026-11-29", "certificate": null}, "protokollierung_durch_betreiber": true}');
INSERT INTO @SCHEMA@.access_event VALUES (5, '60b987f6-aa01-48d6-ba3e-935f32062b71', '2026-11-29 08:51:20.404139+00', 'system', 'datenspiegel init', NULL, NULL, 'user.add', 'dbs:pd-hannover', 'PD-H-KOK-4711', '{"name": "Kriminaloberkommissarin Meyer", "roles": ["sachbearbeitung"], "kontakt": null, "user_id": 4, "belehrt_am": "2026-11-29", "certificate": null, "erlaubte_elemente": null, "erlaubte_operationen": null}');
INSERT INTO @SCHEMA@.access_event VALUES (6, '95fffb65-e9c2-4cac-b046-bc9e305240de', '2026-11-29 08:51:20.410582+00', 'system', 'datenspiegel init', NULL, NULL, 'user.bind-certificate', 'dbs:pd-hannover', 'PD-H-KOK-4711', '{"serial": "1e65f6ddc7ad28e354e3f50485a146549173b9cb", "subject": "CN=polizei,O=datenspiegel Entwicklungs-PKI (nicht produktiv),C=DE", "user_id": 4, "not_after": "2028-11-28T08:46:19+00:00", "fingerprint": "92cb6b53c0ed6a4d14961c53afef12e4ec5e171a4fa7223a913f892bbb6c351d"}');


--
-- Data for Name: access_status; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.access_status VALUES (1, 1, NULL, '2026-11-29 08:51:20.359623+00', 'system datenspiegel init', false, NULL);
INSERT INTO @SCHEMA@.access_status VALUES (2, 1, 1, '2026-11-29 08:51:20.359623+00', 'system datenspiegel init', false, NULL);
INSERT INTO @SCHEMA@.access_status VALUES (3, 1, 2, '2026-11-29 08:51:20.377878+00', 'system datenspiegel init', false, NULL);
INSERT INTO @SCHEMA@.access_status VALUES (4, 2, NULL, '2026-11-29 08:51:20.394227+00', 'system datenspiegel init', false, NULL);
INSERT INTO @SCHEMA@.access_status VALUES (5, 2, 3, '2026-11-29 08:51:20.394227+00', 'system datenspiegel init', false, NULL);
INSERT INTO @SCHEMA@.access_status VALUES (6, 2, 4, '2026-11-29 08:51:20.404139+00', 'system datenspiegel init', false, NULL);


--
-- Data for Name: access_user; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.access_user VALUES (1, 1, 'ADM-ordnungsamt', 'Administration Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', '["administrator"]', NULL, false, NULL, NULL, '2026-11-29 08:51:20.359623+00', '2026-11-29', '+49 511 168-0', 'ordnung@hannover-stadt.example', NULL);
INSERT INTO @SCHEMA@.access_user VALUES (2, 1, 'OA-32.4-0815', 'Sachbearbeitung Bußgeldstelle', '["sachbearbeitung"]', NULL, false, NULL, NULL, '2026-11-29 08:51:20.377878+00', '2026-11-29', NULL, NULL, NULL);
INSERT INTO @SCHEMA@.access_user VALUES (3, 2, 'ADM-polizei', 'Administration Polizeidirektion Hannover', '["administrator"]', NULL, false, NULL, NULL, '2026-11-29 08:51:20.394227+00', '2026-11-29', '+49 511 109-0', 'poststelle@pd-h.polizei.example', NULL);
INSERT INTO @SCHEMA@.access_user VALUES (4, 2, 'PD-H-KOK-4711', 'Kriminaloberkommissarin Meyer', '["sachbearbeitung"]', NULL, false, NULL, NULL, '2026-11-29 08:51:20.404139+00', '2026-11-29', NULL, NULL, NULL);


--
-- Data for Name: hand_over_case; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--



--
-- Data for Name: hand_over_case_read; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--



--
-- Data for Name: identifikationsmerkmal; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--



--
-- Data for Name: protocol_access; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_access VALUES (1, 'release fixture', 'betrieb', '2026-11-29 08:51:20.738682+00', '{"record_id": "e48afc35-9fea-4c17-9c67-3620566e5d31"}', '["e48afc35-9fea-4c17-9c67-3620566e5d31"]');
INSERT INTO @SCHEMA@.protocol_access VALUES (2, 'release fixture', 'betrieb', '2026-11-29 08:51:20.747376+00', '{"record_id": "46eefaa5-6148-4798-aa5c-1d40ca56c5d9"}', '["46eefaa5-6148-4798-aa5c-1d40ca56c5d9"]');
INSERT INTO @SCHEMA@.protocol_access VALUES (3, 'release fixture', 'betrieb', '2026-11-29 08:51:20.752912+00', '{"record_id": "f0194693-e5f8-42ce-b376-34fd6d2a3b2d"}', '["f0194693-e5f8-42ce-b376-34fd6d2a3b2d"]');
INSERT INTO @SCHEMA@.protocol_access VALUES (4, 'release fixture', 'betrieb', '2026-11-29 08:51:20.757208+00', '{"record_id": "63a32620-b02a-4869-8049-76a438d69998"}', '["63a32620-b02a-4869-8049-76a438d69998"]');


--
-- Data for Name: protocol_checkpoint; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_checkpoint VALUES (3, '\xf2dff793b5de3e35cad087f7595f1c57e966a3cea1bd5cbee45bda7108155307', '2026-11-29 08:51:20.616949+00', 'datenspiegel.niedersachsen/protocol
3
8t/3k7XePjXK0If3WV8cV+lmo86hvVy+5FvacQgVUwc=
time 2026-11-29T08:51:20Z

— datenspiegel.niedersachsen/protocol RM+PXTBGAiEA/i2hlQBvZQ9Yz77o7ppyt8Qjya2StpTmQzLuinyCAyoCIQCZ+9dkfZDIBkpkhJGSTuTE6/GWXE/YuqNWh3ZEdrJ7xg==
');


--
-- Data for Name: protocol_log_node; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_log_node VALUES (0, 0, '\x50c27edc6b630bb93a09c561d7e6f31519405e15e5c92e00fa4d9693f7d809a5');
INSERT INTO @SCHEMA@.protocol_log_node VALUES (0, 1, '\x12e1808191995f6be62859199dc48efc60de376521d0a116fcc1025cbe435505');
INSERT INTO @SCHEMA@.protocol_log_node VALUES (1, 0, '\x3015cd961ce68614b208baebbfe336f289524183b02c9b1a2488a06c76364e88');
INSERT INTO @SCHEMA@.protocol_log_node VALUES (0, 2, '\xe98ffea54714cd6381a2e87547a7305a90d9579b6666acc9caf0fe90649aee12');


--
-- Data for Name: protocol_log_state; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_log_state VALUES (1, 3, '["3015cd961ce68614b208baebbfe336f289524183b02c9b1a2488a06c76364e88", "e98ffea54714cd6381a2e87547a7305a90d9579b6666acc9caf0fe90649aee12"]', 1, 0, NULL);


--
-- Data for Name: protocol_outbox; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--



--
-- Data for Name: protocol_payload; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_payload VALUES ('e48afc35-9fea-4c17-9c67-3620566e5d31', '2026', '\x928200ecac31c63d53840109', '\x363125d8ba478aa535190bb0b64173ee27ed564bb66d43abd71ebc640258c446a897d7253d71c109d3230a10d45c4f39d0b3659d0b14f882dfa2733aeefb53977414dae3f84154bebc6345a01e882c3d2662cf33f93e881c8ab9b2d6d6241f11659ad016fee4cf9d807749c5d5d2afacdd3267ccfee8c2cdcc103762a1aeb2d5c6f3fc621a1fc502b6e1637ab445001e4dc7907f1a8ee62f88cbffe3dee128219904179c173b32b0a15625afd93db3d9c2e6dcafa1fa81e1693339e42726e81248ea5060a5679c1ed17d9a1e285e5ccbef505beb934e72a8c141ace23c2d32c1a7ad93805fce83139b200df3533aa018b72654ff14abf2711b3d68e61ba2a0794571f8bb54cecb982fdb906b36df8084a2e381af1107d21b9113a461cae6108218ef8bd0d88b880e9be1b11e8375c55a5e9d94f5d4f4ba8b9bc2e7fe9eb5b912189e7b84ebe545516e2d85c815f7023e02d78a55499f806118914f3169cab5fd049bad5730efd27e5fbadc0b6ddf5b26587265272ee481fba0d2cc0c841f4b19ab47e14be5361f325cc67eaf4a1decfd8cb652e1c7f39b4fb2223e4f875c5323a33e85cac27c197a8d8f477476b27becc2ec8342418deb2d58a4502a4e461081b8ec108362d6173fcdd34cfca786f3b00576cd0ab0655f5d4b8920b9ef9a5b695284318768b53e39647faa56326e9ca97f91a3d9a7972b819c31f2845c932b996a5caa918586fe5e589cd0fe14cda79989d9e9989ad66444cee4fea5b5f7e33522e41f6d20d3df025b7f2aa3b3fe9855a33589be82bf39363e6b84b852381dc8315cbe3eb30bf2b7a7e81baaf022ab8866854762680e326b5d977d1944cd49c96e3259839fedeecad7ec223426655db355ef846f326449ab27401a2043cc550368697289721b4c8658af3a854772c9a0152ae6d798b87d6d49ae73834a50260c824e3ef46c1b0d8bba4d3c6abcacc798527fb83918d6c8c2f79208e7ad5ae1827cd9ad0c4a6b9c275d0e07426e9ccfd9de2f466515bf87c4a227ac2e7564e266a686b73307a005d9acda66ae18ff123b00fa4a7b77b9d01388c280dee44071198dcf4f39cafbe7a3e92bab817e221fa5fbbfd64087703df1227d9eca3fc8d31c9a2f5483e3ffef23c928b38dbc8795e0661548d4b881529c769cf1d3bb87b70f20155dabb944aa002d4cf74920fb0b73cb88e3325d931e3691a7f057da475d0aaa3204e645dfe0948d6f9bb3618c8c875d80c9e1ab7283dc445b89c7d4e6e1fe76d681680116d0077c3de48d4873efb684e131e22a0c0686daa29f4ceaff72ebc142cf6ebb44abb08b0069a720309f964d02b1a072b7ea235ceec9361c44aeee57fbb5e2546e4136946dc04af2c1528d569cdd19e165e6700797547134b10d2fe9a5263201eb7598083c68bfdd974f51bee381deac9209f583523eb0de2d95932267bb9ebee3a1f169d13d9fad9e97ef19cb2796496f53efd5dffa4694baf7f5499ee623165d2e070a53afc80f3aec9bbc17841c7f30cea0526b5522d75fb73b747127f70214f64fb327944f04ceef842b8ff536a71bb9f1c694895d54d4b4f23a5ecf2bd09eb9afe3300736fb455819ae6a173ba657f27bbe68f4a3a5719ae47b198f6c7f894b01111c525c3ee5d3bbb883b369bcfcc8a5a8aa098023ed6cc1c1be56bc2527f6af53509e64fac0f00caf6e16f8d90b34ddd68698f4f4ce42b8abf4879a8f646280f0b02ede646e18a37e989773d9f4b23e8d1c206446d904e962b7a69bc952d72d6a2ccc1e75a8857604b4d00b06a5708489a18faf49e37c247ceb55ebdec59b57d2c4f68223810053b057c3a9abf6a9b405743d7769da06987fdc819bd776aedd9f9f4f4f53c2b648371b293db93ccae3d486798f7c991e31c084573320613dbb7a430a17953ad0ee2b373a62b306d5d2bf67966527da3a19bb6bfc9450b9fd58f2988a44fd327e30afcac585500cc51652a042e31953509da24e94ccf61bcc0fb4fdd143d06ff3e5d728b04d771063d38708a42cb352bad5f304d741cb385c2deac53d445e696b7b21ae26ec068ecaa83e133867a8b6a7608a0f218fa9391cbd08bf0ae6173d3b6a782f79e596d5c3bb256189d7759482f062f0ce72683e27d1364ae0183ac79cc622997341958ecd90794bdb00dcea43f43d3a15a2ec3815b791020810281321dd583543aca9291eeabe5b94efbd30994b580efc776353835ba20db8e7fccb0f6e2233fc014b2f78a59bdef832c57424bf5b84bff82a8192dd3658b0dce8498233ecc44c78d0b77b5caf16674098e57ec8b9b4da0357fbd41ff0ea1677302a48a1f250c137042b2d4c706f0621c402c64cdca3be2b710471915ca5cf91add0462757221d094ee6208463ae37c2cc3a0f5cd9ba20bc591d3847a02ab5a28dfdcc2b6f1c89f58c73e48c2eaacb226d96758724b57bc19ab21399b31c8e599324737623c1', 'bf53009133a7447452235b84d1e4a05ff2e3fb23b768356f5e8295f41e7da086');
INSERT INTO @SCHEMA@.protocol_payload VALUES ('46eefaa5-6148-4798-aa5c-1d40ca56c5d9', '2026', '\x55fefb8455603b3c57bd258d', '\x0bac9b58b6e9621110772c3c4f9b17c540af202e1cd1791d5cf3250c0800f32afac8293e3f501393ec903af3f0f5fce13148c8d75f5727d071ea77aef37b559a3099cc63a07451199b8922f82189ede51e60a029ca66293a8fd122a2597a595d94fc2c69e3876e5645186ef6230489abe1cff54e505ace5c76eaec71f5931597baa9c2bd1b3ec941af592cbc65a6144e0f3bb3e955b9e70e932c95960247e41560d84802a4eb7a14578ffa83a4b51ed99279a6cf018d0b67aaab8dbcd7132c063b14f5eb6135662697b29fc42f40bb4af2789f57bfefe87edcfeff248bd46994f1d5e459e834fe012810c817b9291dd36db5c90e0b95d7681b014515fa284617c31f5be88a49aef2caa348b827147a5922fb8ceef5ac2c0ca1124bea3f7fa2b2d0327bd1b2db2f9fcb77de7174602eed09dcd38487a6607c7a0dc54bab9ca6ecc53ad138d6d68dddcc786a682fb420f2cda79ad6fc841ff87ddf41161e4afad13064f7fe0e9a1e7715e581857a60cbb2de095086a2f997532d2d20b1c8a7f078dbc8f42f562f00602bc51fafed2f67d3150ed5a5a91c33c2b5c0f4493ff8e986cfe432eb09a42d18709facc5b2a991fa170dd137ae4170fa5cd6313d2d8311dbc20567781e1351b6cc04b22b3d2136ff98ebd2d8f3936e375ea0ec54bb864cd0d42c65d0f6b1dbed29cb20ada687bb09fa95a98acacfc3534c4dfb016b2708a6c3539587fb013a7746796efa58a484496b0555c95d07f26db76b8e277de829e5fcb740a96204b4bf92e0ad386b53f2bec0bd163f8500135b622a19a2e2542d17ac7e55b2644008b13dedf6465f18e60eeec414a520d2942b006715b897e938b3339e63df665f28db8a83b746600a7f281e753ee48c44dfb5f1a81ada0041de53b9b2ee74d8213ce1486d08e9a19bbee7a8f5ca61317ff48b0df7d3e294b5178595d832b7aa651dbac9159fe57050ec355944bb9a2eda91ecb9c3da9c61d2f0992f4e4edf0f6e9e1d9317ae1b29dc16495a55fc81f72e1707da917b04bd4bc1bd7bf09570c8231e24b7868bfb8dcbc86d5a095dc8eac2f6bb30780ba4833b2ee80b5c6ef96be4f8e74b4f028e5add40e38913c623fa0061f2d8425b9d5cac950dc71b0d8b524e10e3e05f4bd8c362d469ba211757997cfa5217210f89960d3480e0474aa40304f0439ac028ddc75dfe3869998d73aa0e79e206492b2afb25007f396112445ed5b189f46aec63a31649caf8ebd35d313c2013d35906e5b675c6df2f5647c922b69e68207f748510b34a32a7b18c7722d68cb6f3f064ed5fc886fe3d1be7716d34c8f7973cce0609a0c9c3476d60c738da3b3b91b0bbcdac47088a28e9e4ee2121419e4627f65912ba2ca9c89bbc261ffd302c51c5fdb6fa32b6222f3674ffe0d1d25ea28fdec1411fda84d34c10556e1c9a2323eac204eb3374b5fcb6890b703bb0f18b85dd803346cc142c7cc77bbaf1bb250a2d262762d68bc25e42794f3142d436857a4d07fdd13d9d69a5a452cb2f91de596713d4e3bddc281b92455b1c51e4a4a834b11136a14df85fe6efad5a95c260a4bb64263de00e312844046ee87b4235b5b04d3681d754fa0c39f0b7c3bcf64a44a803b2451d2a99f33e651553d19010d3fa14e87f21024f70d5220f282d121fea7221e4fe488a7e558cdf0d217eb8172c24c222dbd4f571a761df85d3c1c79c1df239cf1da206f3d7e1fe171fdb05e9657966964ccb4ff41f67a84fc841453ac62616e08b3bfc09f6356acfe00b439a61b5cc7c4c1767f40a27ffd34127489910cc1d2ed8603040a1f67016673a27bc9c8fdde5228d20c22c2e23490fffc823a08a3f2dba4e2427a43cfbbbd5cf31ceaecb5d4b0adfbb25e99b9526c7224e360ea9933b577c66941281ac9a0d6cc25fb57836827286e81a2223690207a59a778e5b9f72d40c1de97227dbde2245fb71fa6515f55e01e0c96f58fd3a81997c5724f1a75a2baf74fefa24aae814773ba231965a005908d911e3cffd0f0bb2d623ea5a4b4086ae00304d43a0eebd01453166d7f5de267c5630ed479f8d35eb7620a8011387ecd6a815a574245090325075b677b9d732635a8654cf6bfb7fdc2e4be22545ec16da34202437f8ab8f9d6bbd5e575e6342b5110a88a729ee2a4e693208cb19a2888632c8a1870d66cae793fad8e463c0b2cdea8edf9914c5f1a1d403ccadb45a9687c5d1de6869924dbd08be02bc96377c1808e79dd7b19072df66bef531dde8c63de0f3c6e6d9da9500e1b035db83b58f3d0975295431b2370408bac585b0bae1b2b4b35ce9fd5a864b6502dffd041c4e980f6bbba86085943ebdcbc34147075512e13575ac52f894abee65541369c5d5e715fa48cff8341a0efbf8013b865c20e5272772f2b3c15f22657ff8c7697d47c3b089de0f342c501948cecfc53ac669ba3a804e6b9bf5770e9450ddb846887b0fe7103cc463', '44ea9cb3d5e43abcadb94cac3f45849e0b70029cced01669b5954af4ac71d363');
INSERT INTO @SCHEMA@.protocol_payload VALUES ('f0194693-e5f8-42ce-b376-34fd6d2a3b2d', '2026', '\x142fa81127fff41df213b49f', '\xab08173d3af3ca1178abbfb554e474bb980b4a8e2ef5bc4d81bef2d74dc68731b2b6b52184f053a802182008ca1531824669fcf062e50d57b22658525704e95fcee5cb24404afc2a4eeb29998d7b6e74508f743b06dfaa6915744666378541f271c8dec32bd50208a867654f43920c8b3c94b1f36619ac36d9b0e6e65fd41a40e3bb15bdbd312a8d885d9d9306e36e13b969c84d1282628ba2ca9ed9bcec76489e62710e5dc42382f8ac30e485140e4a48f87ca95b70337e8ea1e608d64724a1a3cfe4e0e5f45416e922a2663deb0b1596e21d3bab6b06c168ae60fa5fc109c201e95ce1d8e40212b8162a07b6ae43402cf99bf1fc42204641be13da34ab73319b53b4cee176b276f27bc6cfaa003c1443591e8d9a1858737e87001ff46d7713c70490fecd2fb723f3dd22a7fda081769a4b72f4b587be2a6f885c5cdf2336ce2a08411ddf1625ad4a2f086b58bf35fe8f81e5477460ade3271beca0c2fbbe5e1e86c7c4e5a9f886625a2f02b46ddd1dd1feab31a8a077b2c39039ef8d37ab61efb016d9b1bc7ec32ce722c86e1ec0d95c48587d8f26ad6f07992dfa5d3bdc74808356f52be68be8c41275a0a196721da3b4caad4c5d1213f1ae1c9ed151714b9dd5950eea742dfe872233c1171bc433c2397ffbba1144a67af7b827c4ddf973f8431554683341348fa52937fd6b51d4819a504ad8f908dc55366955a4a0fc18ebb03a9196f4df370f6f2763bb11372ba6a1d97be89a1564650bc56f99e1f4e44d667b3829c2e73ba87542fa56eddc6e73bc5b2dc94977fdef1db55ab925483428ce4ac379bf6caddea8b44542690fa4bda01f166158b1e6308dfa135015d5001f257295a1416a13cec94ff6c94e5f1fa85fe3668be888b072eaf8798552d75b827ec4b67c2a7bfa9e94085bd15965e2fa613195febd072e60545ede907b8c09aa59c82e1f5d060623bf3395118167a96371e51d890823f6615656ae08da8fa878ab91cd9b8fe356be980b2a998f4a4ba65568c298743bd0da473171628590f4930f4b42a78026558aaf915a17a82a80fef84e8e775ed1f83800575846eb331694cf8f7bb73d525bb38d4f1c9a2976f385efc6953eb4f969093e504fd6257426388ef13771620af24ec386fc916e84231b88d6edb7769b5d3398b520ca0f9e40d6b9b16e2a9e1ce32ccb3a87cb1d75ed5c74b8554390e18604478ac61837a44e4884c84fe069f6a4bbdcf57c9cee2940d283e1eb295e24858bdc9880a4525259aa8827ff4543eef7fa30715a11fe82c55d7b5ab1338e49ce2f5ec8462b08d476c98c57dd4afa5b2ed6945ca90957adfa73d694677d14e3a1f5bd4d0b7f28ccf7f8526a599b716c4d378615a6e712c98620bccf1b298d0ce62b4ca3389b4fa008a886715373b59a5f15f40ce6955b2bf99ee2522ec2fb139cbfee76f858587b479ed2b1ac785278e618e5072383c443702d57d938999c2c6fdd70ea36342244e68de36219833a415dbedfe544890ce7196797784df2e25167c9727fd5fe0c35682d2ad039bf5ebf308b4274bd9c59ac2a5514eaaf003befda3422f84e0bb5d2a4037006b7d73f3199c540a6da2b31c6532dcc360c227e169fbdbd4327aa450910bba2e97f4b206024b3d834ffdadb36396455fb48d0ea4f9c72b29600ec912695734acc3d8c910b84ba2dc7947f3ce8ec9971bb001ec0556ea2e7e49eed76180ab5210d14c713528abf4b18e03cf02b296c7ab05f94fbf11a22d0f95524b4847785936f05f21662b4095ace21cd2e5c612222d9d330f9aa07394975beccb23e4bf2f96369ea03fede47ed60b673e04ab4bab126e7b7a79eccb70b5b1a04ac1ac885a683edc9434f5cda7acb76536789384e340f33ed682f26f519b4b4445d3653899f64efa24de4c3dfb143dabaf3cbb65c248f3f3482348309e210e704e0e68f05493545787f546c98d0368f7467950aa935e24c0812e16ba305e5c82b5609e92f70efff67842277a38888600d53d01eb47b4e7b8eca1466041200e56fbcf369bc1477c9e5123d22aff90e54bba6f4b2722f08f62c0cf319c5575a1f3f933eff4ba35d4400a7494ac24d350d5850ebe50fee2feea6419ff9dedcfc53e39ca00c7e887f98f069b5cd5a34a0bfdb45ced97454396971a477bc9ecf3c302dd82ece25a78a88ec514ecb1e93090c77f5f14ed0c822833bda77ad855d6dc6a552be956e0eaf7e21b90ab893c60ae357cf2175fe25defd3e91c2a4f4a63b8b4ac613338162fe41ee69bfd01f4080e712900ac22ab15ccda8d1cb13b81ca2edf0d8074f2f2ddf52d0eaf0ed426d66779728960ffa76cf0d8464351f94d0887fc22d4e959ac3051bd4f5f923bb36a2702304f2c66f27fac89a966b91de0e61b66ae49f3846bc4687b3631788e76e0ca5c8185dec4a2f987d0ee67d409c4c9dee101d905195f17d42a8ba67d5f12e486b4178f849a6dd', 'aa9083e59113e633a222447431ccf8efd6df7a9de1b1ff7dd2eb804a1f911916');
INSERT INTO @SCHEMA@.protocol_payload VALUES ('63a32620-b02a-4869-8049-76a438d69998', '2026', '\xd3b327a1e7e140a2f4d4e274', '\x4bd852e7804a80a288bafa1a42ba372ed33f8cb26005f41bc002ecf5b4a4bfcee59b889ec5706684c34699874460da776ef101f3870b559e0160c69071e85d6608b17720ca275d5aa78edcfe5cd1e628521fe212a1cf334153828895fffe8f04cfd34f961dd13fad6e736edaba79afb024a50e4acd1ba8e190fb985dddd8868e0ba6475fc1eec7655ca0c8f96a583303f2a7024af175d78a9a8e02245ffd0dfe3dccc824e36715d9eea676324f9de63824a5b7a89a30373c8bc6d021c310565e35b4647ce4be8c17036651dadd7fa44c46f97fbf9c7a6c9490281f3f8577322b6d1db5939b452e1715552bd48fdc3440ab0c0ec1fd1ce96c33a72b458ad504c5ee73d165871a315f23a8baaeafb72c9923d00c3f747260978ffd4b9a5da4ddd63c6ac4a5d42925833e7fba75c080ea16745d319084bf2e6a239e9da0c3bd87410b1c98c09e556d8cb626f36e9ed87c0ae6d1f3416749bd8c2ecb839c8ef6112c1b37a0c6f1edff00e256c5c9f35afb6ca36cabef7e7ddf45170e3512a45b63a57baf159276a2981eaf8a64af8ebdb16531974c7502aea7c7a0207e70991b454f697b1735ea21f6785f51906c82192275e0962e0a22a27144cb15e525ea2fa75e9d801797872a6d34d855b18aea4b424502a4b03a6773b0634b7c7461e94ce6f8b34c57045e950e684fb804e82150207cfc7894d511e1b026f7c1e6fc1a42671b2a6a9f973447ef4111389da3970bd07491d8ae0af56733ac3895be84a82d4a19c48ac18f8ab37dc978293b27be8bb07e58b134a6b7e27a5bc6276f51fca5ed4fd5dfe7fa33b9ec443a9dc4b305bec3398ee5c41d7a3e1ac802b67754db67bc124e4e6e0498536ea5daf3596f2497c44919c6c775ae66197e394cb679e83d5deb8c7694515768abd83437525d53da792c877a950517197ee142056dbbc7b6107c0a2283001a13d0a6aa1cab34616e5db4fb45dd95248e685844a7a3599b79878bab97b9d7c492e3e636f86859612e4815a10e63aaaa8e10f8621b70b0babd731b3f56f408008e2275a2e6777e61270c4d26658f365fe74cf990da84f68b81310ca01d6608a27d5a22b7e0482d2db8501868df0de0b7bf091b912fa518356037f446a516367a11c698fa50d3d0bc8e48b58052383bde4b516b4f005df7503d8a3edfe426772a1b6995d09ff36326f97f840f573d57bdcf4db465697f5ab01af083aa2106d56e429fc7e5944281ccf944063eeed0950e52fd33ac20a1f545493f0c20c525fb1549e359739008f56dc1b0a92daf40a6305564052d6e8a1588c5929c6bcc49f96167848e22375239404fe636d0d42f058c63c7f4ad59fe997c64ebb9e1fe2006e9a92e85642c9953c73cc038d240f39d7dfc53c1b93f7a8dc103bc3683d2cfe125355ebc6886180b10eb363c592f0fcfcd683f1216da6ecf162eeefda38a22d1548d42ec1a3fe320a16501f143e9fa134c7a04e6a5bbc55da364ee69f6f91df180215626436d27929401177df849f876f117d986816721efac2d970860ff0031df3af0f1285a1f6c75583b0b49a1cee753065272a30a9c70d64c14f1e7dc88565e95edaa4014a7e11b482d5202d56122ded5b849f7cc8291b3fc72342a6e525f3efe026d5a1eaf591d943c0db342cc6c9dc464aeca766e85b4a9cb29846f5c7169b5e620aa5de692efac72f62297a78ead4f32cbaa9ec4b53c4889e4ada54294e94dac82af9049c8ff94d4d2fb5ae2c6fbe9cd88ca4a2ed7e21cd14f10727661ec1e973e76aeddb2de0c4a469108373d7f66616598bd077acba012fcaca1ef441728b04dc8b35fe6fd95e3594d2ac066f4b2c7f3a536a998f7b6f3cac15b026f124f959333051ecbf8c05deb81814bc4e66095d6b4014343f4944939c66e06bf57381d52952bdfa45c903e938b10544685d960161d66949855247fee5c6c9d3f534a4e6c4ad2a4e20f081cfcae20f585a59bf4bf10d2470d8cf9159d2794c9317a84c11865967b86c7341fd9dcbbb08fa44b62cc1df78ee4fbef55f788b11878660be22f7c310de2f730c68726ddee37116e476f085076e5472eaeda6fd6d7927a887f53cfe299c2b76a3c03902fb5699d6cf4b137ecb7f108715f1a7779051870421d2d439495c62b96e67e4bdd1b1d123a4492d079344a1492cd720eb8f594e1a308de2f372c90336b72332bed40e26c4fd97bb4eb95567d508e4f6706905186d629d065038ad3aa0214caef6d0723ced5ff387a122f09dcddbff34ac150bf7f67504a29fbe08582d487b6e7cae1f3fd21d960830f46b843816e0688d7994c6eb60bf8ac2f349732daef47f700fcad940f773d4fc99df9dbd101b3ca1280a41e7cda3e12a4eebe0da9a88c8d76fd558ba8f2030d661ed494146210c490ee24dc0ba32d4fd4b6d9bc3ad93d7140bdbddeb70af1f44f67c192922758550ed21e46780a27c1be164d561b2811', 'd91645388263ecfd5c2d6d10a6ec5f54fcc205af6598dc7f248e4e303cf35e90');


--
-- Data for Name: protocol_period_key; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_period_key VALUES ('2026', '\x3c594802dcdd547d524cfc2cea6984bfb874d08f61136a1f5f863af9100fd5c47a3e5c83a79390c4', '2026-11-29 08:51:20.492388+00', NULL);


--
-- Data for Name: protocol_record; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.protocol_record VALUES (1, 'e48afc35-9fea-4c17-9c67-3620566e5d31', '2026-11-29 08:51:20.492388+00', '2026-11-29 08:51:20.51327+00', 'personensuche', 'answered', '["01"]', '171df2ca-6f9f-4b1b-b53a-2a32f1f26f53', '450b62e8-6be0-4c88-b3d8-a1f2e87c9c19', 'fb5486f3d02a5513f3c03a5f721faec1a81aa7ceffcf2467ab73330e32883ce8', 'bf53009133a7447452235b84d1e4a05ff2e3fb23b768356f5e8295f41e7da086', NULL, '28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722', 1, 'dbs:ordnungsamt-hannover', 'Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', false, 2, 'OA-32.4-0815', '32.4-2026-0815', 'Zustellung eines Bußgeldbescheids', '{"ort": "Hannover", "email": "ordnung@hannover-stadt.example", "strasse": "Trammplatz", "telefon": "+49 511 168-0", "hausnummer": "2", "postleitzahl": "30159", "behoerdenname": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "kennungAnfragendePerson": "OA-32.4-0815"}', '{"vornamen": "Erika", "familienname": "Mustermann", "geburtsdatum/jahrMonatTag": "1964-08-12", "anschrift/gemeindeschluessel": "03241001"}', '[1, 7, 13, 44, 45, 46, 48, 49]', '[1]', 1, NULL, true, '{"1": [1, 7, 13, 44, 45, 46, 48, 49]}', '[]', 0, 'f47728e23c5dc89e74a8c66a2eb6469aa4f36a99267af425618b8c03b8062c85', '1f19456be197b94468bfaffd3a957caec36fd8fd130c9e102744c0e5140b3ec2');
INSERT INTO @SCHEMA@.protocol_record VALUES (2, '46eefaa5-6148-4798-aa5c-1d40ca56c5d9', '2026-11-29 08:51:20.523962+00', '2026-11-29 08:51:20.537221+00', 'personensuche', 'answered', '["01"]', '34488ac2-987c-4148-8f7b-adec5025a147', 'f4913101-d6af-4b9c-b270-8613a90497f5', '66313aa73c281ec54dd2f5181b3efaeb4ca61304d40e0e3b4207bfe73b88de54', '44ea9cb3d5e43abcadb94cac3f45849e0b70029cced01669b5954af4ac71d363', NULL, '28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722', 1, 'dbs:ordnungsamt-hannover', 'Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', false, 2, 'OA-32.4-0815', '32.4-2026-0815', 'Zustellung eines Bußgeldbescheids', '{"ort": "Hannover", "email": "ordnung@hannover-stadt.example", "strasse": "Trammplatz", "telefon": "+49 511 168-0", "hausnummer": "2", "postleitzahl": "30159", "behoerdenname": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "kennungAnfragendePerson": "OA-32.4-0815"}', '{"vornamen": "Erika", "familienname": "Mustermann", "anschrift/strasse": "Podbielskistr.", "anschrift/hausnummer": "17", "anschrift/postleitzahl": "30177", "anschrift/gemeindeschluessel": "03241001"}', '[1, 7, 13, 44, 45, 46, 48, 49]', '[1]', 1, NULL, true, '{"1": [1, 7, 13, 44, 45, 46, 48, 49]}', '[]', 1, 'db15c36312ceeda2ada3558e6f05569739188bc0a570ad066093a8f0c11d04e1', 'c3685cf04f5475dd4f9a491571347c0eebaf793a3def2f4871d58541805be1ae');
INSERT INTO @SCHEMA@.protocol_record VALUES (3, 'f0194693-e5f8-42ce-b376-34fd6d2a3b2d', '2026-11-29 08:51:20.5428+00', '2026-11-29 08:51:20.553423+00', 'personensuche', 'answered', '["01"]', 'cd6c0855-eb5a-4e0a-b1c0-a1577ad1ecb5', '57fb7dc5-bff0-4f23-9807-f703e8ed1333', 'b7b9f5b4fd6e265183513c169e2c4959691e1f635a980be59ae8367e276f91ea', 'aa9083e59113e633a222447431ccf8efd6df7a9de1b1ff7dd2eb804a1f911916', NULL, '28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722', 1, 'dbs:ordnungsamt-hannover', 'Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', false, 2, 'OA-32.4-0815', '32.4-2026-0815', 'Zustellung eines Bußgeldbescheids', '{"ort": "Hannover", "email": "ordnung@hannover-stadt.example", "strasse": "Trammplatz", "telefon": "+49 511 168-0", "hausnummer": "2", "postleitzahl": "30159", "behoerdenname": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "kennungAnfragendePerson": "OA-32.4-0815"}', '{"vornamen": "Erica", "familienname": "Musterman", "phonetischeSuche": "true", "geburtsdatum/jahrMonatTag": "1964-08-12", "anschrift/gemeindeschluessel": "03241001"}', '[1, 7, 13, 44, 45, 46, 48, 49]', '[1]', 1, NULL, true, '{"1": [1, 7, 13, 44, 45, 46, 48, 49]}', '[]', 2, 'dd5933bf882e31655336fb2b13ec50725f5f121b7a7fb4a4370358a160187618', '474b6167c4acf03aceecfbeea26427ac99f706d428e196f195a396b1973b4b6e');
INSERT INTO @SCHEMA@.protocol_record VALUES (4, '63a32620-b02a-4869-8049-76a438d69998', '2026-11-29 08:51:20.666873+00', '2026-11-29 08:51:20.684531+00', 'personensuche', 'answered', '["01"]', '4bfdebad-ec84-4e90-bf6a-0ab94ef26655', '9a7cf7cc-51c8-45ba-86a2-b606c3b6e394', '91950f58c2041c31fb21f35f89f246faaf029179f8dc93676ad8ec0b2ac26002', 'd91645388263ecfd5c2d6d10a6ec5f54fcc205af6598dc7f248e4e303cf35e90', NULL, '28a5f7b47eca46fd60a62b5d29d7b9b2c83871fdd9c90fb0eef167a21f09b722', 1, 'dbs:ordnungsamt-hannover', 'Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung', false, 2, 'OA-32.4-0815', '32.4-2026-0815', 'Zustellung eines Bußgeldbescheids', '{"ort": "Hannover", "email": "ordnung@hannover-stadt.example", "strasse": "Trammplatz", "telefon": "+49 511 168-0", "hausnummer": "2", "postleitzahl": "30159", "behoerdenname": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung", "kennungAnfragendePerson": "OA-32.4-0815"}', '{"vornamen": "Erika", "familienname": "Mustermann", "geburtsdatum/jahrMonatTag": "1964-08-12", "anschrift/gemeindeschluessel": "03241001"}', '[1, 7, 13, 44, 45, 46, 48, 49]', '[1]', 1, NULL, true, '{"1": [1, 7, 13, 44, 45, 46, 48, 49]}', '[]', NULL, 'f47728e23c5dc89e74a8c66a2eb6469aa4f36a99267af425618b8c03b8062c85', '7514c79b6bb0d484531f7be3757b0e1fc6c9f546de860882160d409e5071f016');


--
-- Data for Name: replay_claim; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.replay_claim VALUES ('171df2ca-6f9f-4b1b-b53a-2a32f1f26f53', '01f448e4e0170edcf5b0ffd11357dc17bdc1df6c9acff644b6d6f24baab74546', '2026-11-29 08:51:20.492388+00', 'e48afc35-9fea-4c17-9c67-3620566e5d31', '450b62e8-6be0-4c88-b3d8-a1f2e87c9c19', '2026-11-29 08:51:20.51327+00', 'answer', 'Ergebnisstatus:01', '01: Die betroffene Person wurde eindeutig identifiziert. Die Daten werden übermittelt.', '\x3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d275554462d38273f3e0a3c6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e3133333120786d6c6e733a6473613d2275726e3a786f65762d64653a646174656e7370696567656c3a646174656e61627275663a31222076657273696f6e3d22312e30223e3c6e6163687269636874656e6b6f70662e6732673e3c6964656e746966696b6174696f6e2e6e61636872696368743e3c6e6163687269636874656e555549443e34353062363265382d366265302d346338382d623364382d6131663265383763396331393c2f6e6163687269636874656e555549443e3c6e6163687269636874656e747970206c6973745552493d2275726e3a786f65762d64653a646174656e7370696567656c3a636f64656c697374653a6e6163687269636874656e74797022206c69737456657273696f6e49443d2231223e3c636f64653e313333313c2f636f64653e3c2f6e6163687269636874656e7479703e3c65727374656c6c756e67737a65697470756e6b743e323032362d31312d32395430383a35313a32302b30303a30303c2f65727374656c6c756e67737a65697470756e6b743e3c2f6964656e746966696b6174696f6e2e6e61636872696368743e3c6c657365723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6462733a6f72646e756e6773616d742d68616e6e6f7665723c2f6b656e6e756e673e3c6e616d653e4c616e646573686175707473746164742048616e6e6f7665722c20466163686265726569636820c3966666656e746c69636865204f72646e756e673c2f6e616d653e3c2f6c657365723e3c6175746f723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6167733a30333234313030313c2f6b656e6e756e673e3c6e616d653e4d656c6465626568c3b67264653c2f6e616d653e3c2f6175746f723e3c2f6e6163687269636874656e6b6f70662e6732673e3c7572737072756e67736e61636872696368743e31373164663263612d366639662d346231622d623533612d3261333266316632366635333c2f7572737072756e67736e61636872696368743e3c65726765626e69733e3c65726765626e6973737461747573206c6973745552493d2275726e3a786f65762d64653a786d656c643a636f64656c697374653a646174656e61627275662e65726765626e697373746174757322206c69737456657273696f6e49443d2232223e3c636f64653e30313c2f636f64653e3c2f65726765626e69737374617475733e3c706572736f6e3e3c68696e77656973653e3c7665727a6f67656e496e6c616e643e66616c73653c2f7665727a6f67656e496e6c616e643e3c7665727a6f67656e556e62656b616e6e743e66616c73653c2f7665727a6f67656e556e62656b616e6e743e3c7665727a6f67656e4175736c616e643e66616c73653c2f7665727a6f67656e4175736c616e643e3c76657273746f7262656e3e66616c73653c2f76657273746f7262656e3e3c76657272696e676572746572446174656e756d66616e673e66616c73653c2f76657272696e676572746572446174656e756d66616e673e3c2f68696e77656973653e3c66616d696c69656e6e616d653e4d75737465726d616e6e3c2f66616d696c69656e6e616d653e3c766f726e616d65206765627261657563686c6963683d2274727565223e4572696b613c2f766f726e616d653e3c67656275727473646174756d3e3c6a6168724d6f6e61745461673e313936342d30382d31323c2f6a6168724d6f6e61745461673e3c2f67656275727473646174756d3e3c616b7475656c6c65416e736368726966743e3c67656d65696e64657363686c75657373656c3e30333234313030313c2f67656d65696e64657363686c75657373656c3e3c706f73746c6569747a61686c3e33303137373c2f706f73746c6569747a61686c3e3c776f686e6f72743e48616e6e6f7665723c2f776f686e6f72743e3c737472617373653e506f646269656c736b6973747261c39f653c2f737472617373653e3c686175736e756d6d65723e31373c2f686175736e756d6d65723e3c626564696e6774657253706572727665726d65726b3e66616c73653c2f626564696e6774657253706572727665726d65726b3e3c2f616b7475656c6c65416e736368726966743e3c2f706572736f6e3e3c2f65726765626e69733e3c64733a5369676e617475726520786d6c6e733a64733d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723223e3c64733a5369676e6564496e666f3e3c64733a43616e6f6e6963616c697a6174696f6e4d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c64733a5369676e61747572654d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c647369672d6d6f72652365636473612d736861323536222f3e3c64733a5265666572656e6365205552493d22223e3c64733a5472616e73666f726d733e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723656e76656c6f7065642d7369676e6174757265222f3e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c2f64733a5472616e73666f726d733e3c64733a4469676573744d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c656e6323736861323536222f3e3c64733a44696765737456616c75653e71533730594a5a6b5031533943797064466366762f334257366e3249686a4e625270616b782f56746772553d3c2f64733a44696765737456616c75653e3c2f64733a5265666572656e63653e3c2f64733a5369676e6564496e666f3e3c64733a5369676e617475726556616c75653e676a32656f5868487950567037484445336c31714c6f485136596e5777664b772f6f564845434964794a48334a35545071686858446c413679327558427a705444386d2f766378346d48633563615479494c473268673d3d3c2f64733a5369676e617475726556616c75653e3c64733a4b6579496e666f3e3c64733a58353039446174613e3c64733a5835303943657274696669636174653e4d494943595443434165656741774942416749554e43354b356b79686e31794e623665445946524d7961552b67666377436759494b6f5a497a6a304541774d770a626a454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d53557749775944565151444442786b5958526c626e4e776157566e5a5777670a5257353064326c6a61327831626d647a4c554e424d423458445449324d5445794f5441344e4459784f566f58445449344d5445794f4441344e4459784f566f770a6354454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d5367774a675944565151444442396b5958526c626e4e776157566e5a5777670a566d567962576c3064477831626d647a6333526c6247786c4d466b77457759484b6f5a497a6a3043415159494b6f5a497a6a304441516344516741454e317a750a703153697554366f2f31532f367153576866624254556a3161676b6969754f2b416e6e376561414c724f6b6a6d45734f52586d6a4a697362635659644858724b0a4f5365676235347a673933797851495544614e674d46347744415944565230544151482f424149774144414f42674e56485138424166384542414d43423441770a485159445652304f424259454642614943746c394453453576356873535471702f3073654d7262324d42384741315564497751594d4261414644324a414e41520a53364e2b5170382f484f4c2b6a364e6678646f5a4d416f4743437147534d343942414d44413267414d4755434d46534236686e533977584d346848566a694e350a756d2f32354d72355679593547466246677538366368544b56774c4b65316e4f636c4b462f75306a3634322b70774978414d63685977376c6e72726f614e68380a36736e543862444d7a51635843464731556e45743074786f49456a53365659305942624f464d6465416d58584a39746a53413d3d0a3c2f64733a5835303943657274696669636174653e3c2f64733a58353039446174613e3c2f64733a4b6579496e666f3e3c2f64733a5369676e61747572653e3c2f6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e313333313e');
INSERT INTO @SCHEMA@.replay_claim VALUES ('34488ac2-987c-4148-8f7b-adec5025a147', 'df7b54729817468e5de61f445e2f7e8b96debff22df0df39781a6765e48e5f59', '2026-11-29 08:51:20.523962+00', '46eefaa5-6148-4798-aa5c-1d40ca56c5d9', 'f4913101-d6af-4b9c-b270-8613a90497f5', '2026-11-29 08:51:20.537221+00', 'answer', 'Ergebnisstatus:01', '01: Die betroffene Person wurde eindeutig identifiziert. Die Daten werden übermittelt.', '\x3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d275554462d38273f3e0a3c6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e3133333120786d6c6e733a6473613d2275726e3a786f65762d64653a646174656e7370696567656c3a646174656e61627275663a31222076657273696f6e3d22312e30223e3c6e6163687269636874656e6b6f70662e6732673e3c6964656e746966696b6174696f6e2e6e61636872696368743e3c6e6163687269636874656e555549443e66343931333130312d643661662d346239632d623237302d3836313361393034393766353c2f6e6163687269636874656e555549443e3c6e6163687269636874656e747970206c6973745552493d2275726e3a786f65762d64653a646174656e7370696567656c3a636f64656c697374653a6e6163687269636874656e74797022206c69737456657273696f6e49443d2231223e3c636f64653e313333313c2f636f64653e3c2f6e6163687269636874656e7479703e3c65727374656c6c756e67737a65697470756e6b743e323032362d31312d32395430383a35313a32302b30303a30303c2f65727374656c6c756e67737a65697470756e6b743e3c2f6964656e746966696b6174696f6e2e6e61636872696368743e3c6c657365723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6462733a6f72646e756e6773616d742d68616e6e6f7665723c2f6b656e6e756e673e3c6e616d653e4c616e646573686175707473746164742048616e6e6f7665722c20466163686265726569636820c3966666656e746c69636865204f72646e756e673c2f6e616d653e3c2f6c657365723e3c6175746f723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6167733a30333234313030313c2f6b656e6e756e673e3c6e616d653e4d656c6465626568c3b67264653c2f6e616d653e3c2f6175746f723e3c2f6e6163687269636874656e6b6f70662e6732673e3c7572737072756e67736e61636872696368743e33343438386163322d393837632d343134382d386637622d6164656335303235613134373c2f7572737072756e67736e61636872696368743e3c65726765626e69733e3c65726765626e6973737461747573206c6973745552493d2275726e3a786f65762d64653a786d656c643a636f64656c697374653a646174656e61627275662e65726765626e697373746174757322206c69737456657273696f6e49443d2232223e3c636f64653e30313c2f636f64653e3c2f65726765626e69737374617475733e3c706572736f6e3e3c68696e77656973653e3c7665727a6f67656e496e6c616e643e66616c73653c2f7665727a6f67656e496e6c616e643e3c7665727a6f67656e556e62656b616e6e743e66616c73653c2f7665727a6f67656e556e62656b616e6e743e3c7665727a6f67656e4175736c616e643e66616c73653c2f7665727a6f67656e4175736c616e643e3c76657273746f7262656e3e66616c73653c2f76657273746f7262656e3e3c76657272696e676572746572446174656e756d66616e673e66616c73653c2f76657272696e676572746572446174656e756d66616e673e3c2f68696e77656973653e3c66616d696c69656e6e616d653e4d75737465726d616e6e3c2f66616d696c69656e6e616d653e3c766f726e616d65206765627261657563686c6963683d2274727565223e4572696b613c2f766f726e616d653e3c67656275727473646174756d3e3c6a6168724d6f6e61745461673e313936342d30382d31323c2f6a6168724d6f6e61745461673e3c2f67656275727473646174756d3e3c616b7475656c6c65416e736368726966743e3c67656d65696e64657363686c75657373656c3e30333234313030313c2f67656d65696e64657363686c75657373656c3e3c706f73746c6569747a61686c3e33303137373c2f706f73746c6569747a61686c3e3c776f686e6f72743e48616e6e6f7665723c2f776f686e6f72743e3c737472617373653e506f646269656c736b6973747261c39f653c2f737472617373653e3c686175736e756d6d65723e31373c2f686175736e756d6d65723e3c626564696e6774657253706572727665726d65726b3e66616c73653c2f626564696e6774657253706572727665726d65726b3e3c2f616b7475656c6c65416e736368726966743e3c2f706572736f6e3e3c2f65726765626e69733e3c64733a5369676e617475726520786d6c6e733a64733d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723223e3c64733a5369676e6564496e666f3e3c64733a43616e6f6e6963616c697a6174696f6e4d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c64733a5369676e61747572654d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c647369672d6d6f72652365636473612d736861323536222f3e3c64733a5265666572656e6365205552493d22223e3c64733a5472616e73666f726d733e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723656e76656c6f7065642d7369676e6174757265222f3e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c2f64733a5472616e73666f726d733e3c64733a4469676573744d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c656e6323736861323536222f3e3c64733a44696765737456616c75653e6e68512b54502f4e3430356d7675694d5265324e68616b614e5662545565554844796d55653248375971593d3c2f64733a44696765737456616c75653e3c2f64733a5265666572656e63653e3c2f64733a5369676e6564496e666f3e3c64733a5369676e617475726556616c75653e724a4778454277754d5864633055522f2f4c577a694f5455324a2b774b2b4977627a456b52624c344c4767784c77447478573439542b5230453132666641506f524f6636716a494a59596c324431506a3062564965413d3d3c2f64733a5369676e617475726556616c75653e3c64733a4b6579496e666f3e3c64733a58353039446174613e3c64733a5835303943657274696669636174653e4d494943595443434165656741774942416749554e43354b356b79686e31794e623665445946524d7961552b67666377436759494b6f5a497a6a304541774d770a626a454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d53557749775944565151444442786b5958526c626e4e776157566e5a5777670a5257353064326c6a61327831626d647a4c554e424d423458445449324d5445794f5441344e4459784f566f58445449344d5445794f4441344e4459784f566f770a6354454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d5367774a675944565151444442396b5958526c626e4e776157566e5a5777670a566d567962576c3064477831626d647a6333526c6247786c4d466b77457759484b6f5a497a6a3043415159494b6f5a497a6a304441516344516741454e317a750a703153697554366f2f31532f367153576866624254556a3161676b6969754f2b416e6e376561414c724f6b6a6d45734f52586d6a4a697362635659644858724b0a4f5365676235347a673933797851495544614e674d46347744415944565230544151482f424149774144414f42674e56485138424166384542414d43423441770a485159445652304f424259454642614943746c394453453576356873535471702f3073654d7262324d42384741315564497751594d4261414644324a414e41520a53364e2b5170382f484f4c2b6a364e6678646f5a4d416f4743437147534d343942414d44413267414d4755434d46534236686e533977584d346848566a694e350a756d2f32354d72355679593547466246677538366368544b56774c4b65316e4f636c4b462f75306a3634322b70774978414d63685977376c6e72726f614e68380a36736e543862444d7a51635843464731556e45743074786f49456a53365659305942624f464d6465416d58584a39746a53413d3d0a3c2f64733a5835303943657274696669636174653e3c2f64733a58353039446174613e3c2f64733a4b6579496e666f3e3c2f64733a5369676e61747572653e3c2f6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e313333313e');
INSERT INTO @SCHEMA@.replay_claim VALUES ('cd6c0855-eb5a-4e0a-b1c0-a1577ad1ecb5', '1ee504ad3a217a39ad0f78de7d91d57a6bb770e9df80c26910a2f147ece147bf', '2026-11-29 08:51:20.5428+00', 'f0194693-e5f8-42ce-b376-34fd6d2a3b2d', '57fb7dc5-bff0-4f23-9807-f703e8ed1333', '2026-11-29 08:51:20.553423+00', 'answer', 'Ergebnisstatus:01', '01: Die betroffene Person wurde eindeutig identifiziert. Die Daten werden übermittelt.', '\x3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d275554462d38273f3e0a3c6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e3133333120786d6c6e733a6473613d2275726e3a786f65762d64653a646174656e7370696567656c3a646174656e61627275663a31222076657273696f6e3d22312e30223e3c6e6163687269636874656e6b6f70662e6732673e3c6964656e746966696b6174696f6e2e6e61636872696368743e3c6e6163687269636874656e555549443e35376662376463352d626666302d346632332d393830372d6637303365386564313333333c2f6e6163687269636874656e555549443e3c6e6163687269636874656e747970206c6973745552493d2275726e3a786f65762d64653a646174656e7370696567656c3a636f64656c697374653a6e6163687269636874656e74797022206c69737456657273696f6e49443d2231223e3c636f64653e313333313c2f636f64653e3c2f6e6163687269636874656e7479703e3c65727374656c6c756e67737a65697470756e6b743e323032362d31312d32395430383a35313a32302b30303a30303c2f65727374656c6c756e67737a65697470756e6b743e3c2f6964656e746966696b6174696f6e2e6e61636872696368743e3c6c657365723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6462733a6f72646e756e6773616d742d68616e6e6f7665723c2f6b656e6e756e673e3c6e616d653e4c616e646573686175707473746164742048616e6e6f7665722c20466163686265726569636820c3966666656e746c69636865204f72646e756e673c2f6e616d653e3c2f6c657365723e3c6175746f723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6167733a30333234313030313c2f6b656e6e756e673e3c6e616d653e4d656c6465626568c3b67264653c2f6e616d653e3c2f6175746f723e3c2f6e6163687269636874656e6b6f70662e6732673e3c7572737072756e67736e61636872696368743e63643663303835352d656235612d346530612d623163302d6131353737616431656362353c2f7572737072756e67736e61636872696368743e3c65726765626e69733e3c65726765626e6973737461747573206c6973745552493d2275726e3a786f65762d64653a786d656c643a636f64656c697374653a646174656e61627275662e65726765626e697373746174757322206c69737456657273696f6e49443d2232223e3c636f64653e30313c2f636f64653e3c2f65726765626e69737374617475733e3c706572736f6e3e3c68696e77656973653e3c7665727a6f67656e496e6c616e643e66616c73653c2f7665727a6f67656e496e6c616e643e3c7665727a6f67656e556e62656b616e6e743e66616c73653c2f7665727a6f67656e556e62656b616e6e743e3c7665727a6f67656e4175736c616e643e66616c73653c2f7665727a6f67656e4175736c616e643e3c76657273746f7262656e3e66616c73653c2f76657273746f7262656e3e3c76657272696e676572746572446174656e756d66616e673e66616c73653c2f76657272696e676572746572446174656e756d66616e673e3c2f68696e77656973653e3c66616d696c69656e6e616d653e4d75737465726d616e6e3c2f66616d696c69656e6e616d653e3c766f726e616d65206765627261657563686c6963683d2274727565223e4572696b613c2f766f726e616d653e3c67656275727473646174756d3e3c6a6168724d6f6e61745461673e313936342d30382d31323c2f6a6168724d6f6e61745461673e3c2f67656275727473646174756d3e3c616b7475656c6c65416e736368726966743e3c67656d65696e64657363686c75657373656c3e30333234313030313c2f67656d65696e64657363686c75657373656c3e3c706f73746c6569747a61686c3e33303137373c2f706f73746c6569747a61686c3e3c776f686e6f72743e48616e6e6f7665723c2f776f686e6f72743e3c737472617373653e506f646269656c736b6973747261c39f653c2f737472617373653e3c686175736e756d6d65723e31373c2f686175736e756d6d65723e3c626564696e6774657253706572727665726d65726b3e66616c73653c2f626564696e6774657253706572727665726d65726b3e3c2f616b7475656c6c65416e736368726966743e3c2f706572736f6e3e3c2f65726765626e69733e3c64733a5369676e617475726520786d6c6e733a64733d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723223e3c64733a5369676e6564496e666f3e3c64733a43616e6f6e6963616c697a6174696f6e4d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c64733a5369676e61747572654d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c647369672d6d6f72652365636473612d736861323536222f3e3c64733a5265666572656e6365205552493d22223e3c64733a5472616e73666f726d733e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723656e76656c6f7065642d7369676e6174757265222f3e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c2f64733a5472616e73666f726d733e3c64733a4469676573744d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c656e6323736861323536222f3e3c64733a44696765737456616c75653e644476484c57484d4b506d6136563968784751337378776e533250356b5a657a70636836576c576c6759773d3c2f64733a44696765737456616c75653e3c2f64733a5265666572656e63653e3c2f64733a5369676e6564496e666f3e3c64733a5369676e617475726556616c75653e705031314f49766b5338624b64745432476c502b3737373832546e486b7566306c503564554e6d2f6e685635753032644e53755678555a454a33315053366c38572b6230756e7661594f4459365039377a4c516e78513d3d3c2f64733a5369676e617475726556616c75653e3c64733a4b6579496e666f3e3c64733a58353039446174613e3c64733a5835303943657274696669636174653e4d494943595443434165656741774942416749554e43354b356b79686e31794e623665445946524d7961552b67666377436759494b6f5a497a6a304541774d770a626a454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d53557749775944565151444442786b5958526c626e4e776157566e5a5777670a5257353064326c6a61327831626d647a4c554e424d423458445449324d5445794f5441344e4459784f566f58445449344d5445794f4441344e4459784f566f770a6354454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d5367774a675944565151444442396b5958526c626e4e776157566e5a5777670a566d567962576c3064477831626d647a6333526c6247786c4d466b77457759484b6f5a497a6a3043415159494b6f5a497a6a304441516344516741454e317a750a703153697554366f2f31532f367153576866624254556a3161676b6969754f2b416e6e376561414c724f6b6a6d45734f52586d6a4a697362635659644858724b0a4f5365676235347a673933797851495544614e674d46347744415944565230544151482f424149774144414f42674e56485138424166384542414d43423441770a485159445652304f424259454642614943746c394453453576356873535471702f3073654d7262324d42384741315564497751594d4261414644324a414e41520a53364e2b5170382f484f4c2b6a364e6678646f5a4d416f4743437147534d343942414d44413267414d4755434d46534236686e533977584d346848566a694e350a756d2f32354d72355679593547466246677538366368544b56774c4b65316e4f636c4b462f75306a3634322b70774978414d63685977376c6e72726f614e68380a36736e543862444d7a51635843464731556e45743074786f49456a53365659305942624f464d6465416d58584a39746a53413d3d0a3c2f64733a5835303943657274696669636174653e3c2f64733a58353039446174613e3c2f64733a4b6579496e666f3e3c2f64733a5369676e61747572653e3c2f6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e313333313e');
INSERT INTO @SCHEMA@.replay_claim VALUES ('4bfdebad-ec84-4e90-bf6a-0ab94ef26655', 'c6ab4dfe20c4cae24ed5af285f7bfd024c0c0dd949f4c107986bcfa4352748aa', '2026-11-29 08:51:20.666873+00', '63a32620-b02a-4869-8049-76a438d69998', '9a7cf7cc-51c8-45ba-86a2-b606c3b6e394', '2026-11-29 08:51:20.684531+00', 'answer', 'Ergebnisstatus:01', '01: Die betroffene Person wurde eindeutig identifiziert. Die Daten werden übermittelt.', '\x3c3f786d6c2076657273696f6e3d27312e302720656e636f64696e673d275554462d38273f3e0a3c6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e3133333120786d6c6e733a6473613d2275726e3a786f65762d64653a646174656e7370696567656c3a646174656e61627275663a31222076657273696f6e3d22312e30223e3c6e6163687269636874656e6b6f70662e6732673e3c6964656e746966696b6174696f6e2e6e61636872696368743e3c6e6163687269636874656e555549443e39613763663763632d353163382d343562612d383661322d6236303663336236653339343c2f6e6163687269636874656e555549443e3c6e6163687269636874656e747970206c6973745552493d2275726e3a786f65762d64653a646174656e7370696567656c3a636f64656c697374653a6e6163687269636874656e74797022206c69737456657273696f6e49443d2231223e3c636f64653e313333313c2f636f64653e3c2f6e6163687269636874656e7479703e3c65727374656c6c756e67737a65697470756e6b743e323032362d31312d32395430383a35313a32302b30303a30303c2f65727374656c6c756e67737a65697470756e6b743e3c2f6964656e746966696b6174696f6e2e6e61636872696368743e3c6c657365723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6462733a6f72646e756e6773616d742d68616e6e6f7665723c2f6b656e6e756e673e3c6e616d653e4c616e646573686175707473746164742048616e6e6f7665722c20466163686265726569636820c3966666656e746c69636865204f72646e756e673c2f6e616d653e3c2f6c657365723e3c6175746f723e3c7665727a656963686e69736469656e7374206c6973745552493d2275726e3a64653a7874613a636f64656c697374653a7665727a656963686e69736469656e737422206c69737456657273696f6e49443d2231223e3c636f64653e445644563c2f636f64653e3c2f7665727a656963686e69736469656e73743e3c6b656e6e756e673e6167733a30333234313030313c2f6b656e6e756e673e3c6e616d653e4d656c6465626568c3b67264653c2f6e616d653e3c2f6175746f723e3c2f6e6163687269636874656e6b6f70662e6732673e3c7572737072756e67736e61636872696368743e34626664656261642d656338342d346539302d626636612d3061623934656632363635353c2f7572737072756e67736e61636872696368743e3c65726765626e69733e3c65726765626e6973737461747573206c6973745552493d2275726e3a786f65762d64653a786d656c643a636f64656c697374653a646174656e61627275662e65726765626e697373746174757322206c69737456657273696f6e49443d2232223e3c636f64653e30313c2f636f64653e3c2f65726765626e69737374617475733e3c706572736f6e3e3c68696e77656973653e3c7665727a6f67656e496e6c616e643e66616c73653c2f7665727a6f67656e496e6c616e643e3c7665727a6f67656e556e62656b616e6e743e66616c73653c2f7665727a6f67656e556e62656b616e6e743e3c7665727a6f67656e4175736c616e643e66616c73653c2f7665727a6f67656e4175736c616e643e3c76657273746f7262656e3e66616c73653c2f76657273746f7262656e3e3c76657272696e676572746572446174656e756d66616e673e66616c73653c2f76657272696e676572746572446174656e756d66616e673e3c2f68696e77656973653e3c66616d696c69656e6e616d653e4d75737465726d616e6e3c2f66616d696c69656e6e616d653e3c766f726e616d65206765627261657563686c6963683d2274727565223e4572696b613c2f766f726e616d653e3c67656275727473646174756d3e3c6a6168724d6f6e61745461673e313936342d30382d31323c2f6a6168724d6f6e61745461673e3c2f67656275727473646174756d3e3c616b7475656c6c65416e736368726966743e3c67656d65696e64657363686c75657373656c3e30333234313030313c2f67656d65696e64657363686c75657373656c3e3c706f73746c6569747a61686c3e33303137373c2f706f73746c6569747a61686c3e3c776f686e6f72743e48616e6e6f7665723c2f776f686e6f72743e3c737472617373653e506f646269656c736b6973747261c39f653c2f737472617373653e3c686175736e756d6d65723e31373c2f686175736e756d6d65723e3c626564696e6774657253706572727665726d65726b3e66616c73653c2f626564696e6774657253706572727665726d65726b3e3c2f616b7475656c6c65416e736368726966743e3c2f706572736f6e3e3c2f65726765626e69733e3c64733a5369676e617475726520786d6c6e733a64733d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723223e3c64733a5369676e6564496e666f3e3c64733a43616e6f6e6963616c697a6174696f6e4d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c64733a5369676e61747572654d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c647369672d6d6f72652365636473612d736861323536222f3e3c64733a5265666572656e6365205552493d22223e3c64733a5472616e73666f726d733e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030302f30392f786d6c6473696723656e76656c6f7065642d7369676e6174757265222f3e3c64733a5472616e73666f726d20416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f31302f786d6c2d6578632d6331346e23222f3e3c2f64733a5472616e73666f726d733e3c64733a4469676573744d6574686f6420416c676f726974686d3d22687474703a2f2f7777772e77332e6f72672f323030312f30342f786d6c656e6323736861323536222f3e3c64733a44696765737456616c75653e41596a7170754630623642304556587665733068502b616b6432384a70796d4f492f6f4d614f4f4a346b383d3c2f64733a44696765737456616c75653e3c2f64733a5265666572656e63653e3c2f64733a5369676e6564496e666f3e3c64733a5369676e617475726556616c75653e45534f30514545646e3547596179334a484136494f754e553475545663446172496c76556b5a41543959394d414d65555535365833646936384f47505450547651544b567439556338524446456e34726753667949413d3d3c2f64733a5369676e617475726556616c75653e3c64733a4b6579496e666f3e3c64733a58353039446174613e3c64733a5835303943657274696669636174653e4d494943595443434165656741774942416749554e43354b356b79686e31794e623665445946524d7961552b67666377436759494b6f5a497a6a304541774d770a626a454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d53557749775944565151444442786b5958526c626e4e776157566e5a5777670a5257353064326c6a61327831626d647a4c554e424d423458445449324d5445794f5441344e4459784f566f58445449344d5445794f4441344e4459784f566f770a6354454c4d416b474131554542684d43524555784f44413242674e5642416f4d4c32526864475675633342705a57646c62434246626e523361574e72624856750a5a334d745545744a4943687561574e6f64434277636d396b64577430615859704d5367774a675944565151444442396b5958526c626e4e776157566e5a5777670a566d567962576c3064477831626d647a6333526c6247786c4d466b77457759484b6f5a497a6a3043415159494b6f5a497a6a304441516344516741454e317a750a703153697554366f2f31532f367153576866624254556a3161676b6969754f2b416e6e376561414c724f6b6a6d45734f52586d6a4a697362635659644858724b0a4f5365676235347a673933797851495544614e674d46347744415944565230544151482f424149774144414f42674e56485138424166384542414d43423441770a485159445652304f424259454642614943746c394453453576356873535471702f3073654d7262324d42384741315564497751594d4261414644324a414e41520a53364e2b5170382f484f4c2b6a364e6678646f5a4d416f4743437147534d343942414d44413267414d4755434d46534236686e533977584d346848566a694e350a756d2f32354d72355679593547466246677538366368544b56774c4b65316e4f636c4b462f75306a3634322b70774978414d63685977376c6e72726f614e68380a36736e543862444d7a51635843464731556e45743074786f49456a53365659305942624f464d6465416d58584a39746a53413d3d0a3c2f64733a5835303943657274696669636174653e3c2f64733a58353039446174613e3c2f64733a4b6579496e666f3e3c2f64733a5369676e61747572653e3c2f6473613a646174656e61627275662e706572736f6e656e73756368652e616e74776f72742e313333313e');


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.schema_version VALUES ('access', 3, '2026-11-29 08:51:20.015119+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('protocol', 5, '2026-11-29 08:51:20.09093+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('replay', 1, '2026-11-29 08:51:20.116919+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('windows', 1, '2026-11-29 08:51:20.126468+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('payloads', 1, '2026-11-29 08:51:20.139884+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('merkmal', 1, '2026-11-29 08:51:20.149672+00');
INSERT INTO @SCHEMA@.schema_version VALUES ('cases', 1, '2026-11-29 08:51:20.48132+00');


--
-- Data for Name: store_heartbeat; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--



--
-- Data for Name: window_counter; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.window_counter VALUES ('authority:1', 1795942260, 4);
INSERT INTO @SCHEMA@.window_counter VALUES ('user:2', 1795942260, 4);


--
-- Name: access_authority_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.access_authority_id_seq', 2, true);


--
-- Name: access_event_seq_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.access_event_seq_seq', 6, true);


--
-- Name: access_status_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.access_status_id_seq', 6, true);


--
-- Name: access_user_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.access_user_id_seq', 4, true);


--
-- Name: hand_over_case_read_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.hand_over_case_read_id_seq', 1, false);


--
-- Name: hand_over_case_seq_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.hand_over_case_seq_seq', 1, false);


--
-- Name: protocol_access_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.protocol_access_id_seq', 4, true);


--
-- Name: protocol_outbox_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.protocol_outbox_id_seq', 1, false);


--
-- Name: protocol_record_seq_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.protocol_record_seq_seq', 4, true);


--
-- Name: access_authority access_authority_kennung_key; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_authority
    ADD CONSTRAINT access_authority_kennung_key UNIQUE (kennung);


--
-- Name: access_authority access_authority_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_authority
    ADD CONSTRAINT access_authority_pkey PRIMARY KEY (id);


--
-- Name: access_certificate access_certificate_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_certificate
    ADD CONSTRAINT access_certificate_pkey PRIMARY KEY (fingerprint);


--
-- Name: access_event access_event_event_id_key; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_event
    ADD CONSTRAINT access_event_event_id_key UNIQUE (event_id);


--
-- Name: access_event access_event_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_event
    ADD CONSTRAINT access_event_pkey PRIMARY KEY (seq);


--
-- Name: access_status access_status_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_status
    ADD CONSTRAINT access_status_pkey PRIMARY KEY (id);


--
-- Name: access_user access_user_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_user
    ADD CONSTRAINT access_user_pkey PRIMARY KEY (id);


--
-- Name: hand_over_case hand_over_case_case_id_key; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.hand_over_case
    ADD CONSTRAINT hand_over_case_case_id_key UNIQUE (case_id);


--
-- Name: hand_over_case hand_over_case_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.hand_over_case
    ADD CONSTRAINT hand_over_case_pkey PRIMARY KEY (seq);


--
-- Name: hand_over_case_read hand_over_case_read_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.hand_over_case_read
    ADD CONSTRAINT hand_over_case_read_pkey PRIMARY KEY (id);


--
-- Name: identifikationsmerkmal identifikationsmerkmal_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.identifikationsmerkmal
    ADD CONSTRAINT identifikationsmerkmal_pkey PRIMARY KEY (merkmal);


--
-- Name: protocol_access protocol_access_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_access
    ADD CONSTRAINT protocol_access_pkey PRIMARY KEY (id);


--
-- Name: protocol_checkpoint protocol_checkpoint_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_checkpoint
    ADD CONSTRAINT protocol_checkpoint_pkey PRIMARY KEY (size);


--
-- Name: protocol_log_node protocol_log_node_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_log_node
    ADD CONSTRAINT protocol_log_node_pkey PRIMARY KEY (level, idx);


--
-- Name: protocol_log_state protocol_log_state_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_log_state
    ADD CONSTRAINT protocol_log_state_pkey PRIMARY KEY (id);


--
-- Name: protocol_outbox protocol_outbox_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_outbox
    ADD CONSTRAINT protocol_outbox_pkey PRIMARY KEY (id);


--
-- Name: protocol_payload protocol_payload_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_payload
    ADD CONSTRAINT protocol_payload_pkey PRIMARY KEY (record_id);


--
-- Name: protocol_period_key protocol_period_key_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_period_key
    ADD CONSTRAINT protocol_period_key_pkey PRIMARY KEY (period);


--
-- Name: protocol_record protocol_record_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_record
    ADD CONSTRAINT protocol_record_pkey PRIMARY KEY (seq);


--
-- Name: protocol_record protocol_record_record_id_key; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_record
    ADD CONSTRAINT protocol_record_record_id_key UNIQUE (record_id);


--
-- Name: replay_claim replay_claim_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.replay_claim
    ADD CONSTRAINT replay_claim_pkey PRIMARY KEY (message_uuid);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (component);


--
-- Name: store_heartbeat store_heartbeat_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.store_heartbeat
    ADD CONSTRAINT store_heartbeat_pkey PRIMARY KEY (holder);


--
-- Name: access_user uq_access_user_authority_kennung; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_user
    ADD CONSTRAINT uq_access_user_authority_kennung UNIQUE (authority_id, kennung);


--
-- Name: window_counter window_counter_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.window_counter
    ADD CONSTRAINT window_counter_pkey PRIMARY KEY (key, window_start);


--
-- Name: ix_access_certificate_user_id; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_access_certificate_user_id ON @SCHEMA@.access_certificate USING btree (user_id);


--
-- Name: ix_access_event_at; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_access_event_at ON @SCHEMA@.access_event USING btree (at);


--
-- Name: ix_access_event_authority; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_access_event_authority ON @SCHEMA@.access_event USING btree (authority_kennung, seq);


--
-- Name: ix_access_status_subject; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_access_status_subject ON @SCHEMA@.access_status USING btree (authority_id, user_id, id);


--
-- Name: ix_hand_over_case_open; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_hand_over_case_open ON @SCHEMA@.hand_over_case USING btree (recipient, acknowledged_at, seq);


--
-- Name: ix_hand_over_case_read_accessed_at; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_hand_over_case_read_accessed_at ON @SCHEMA@.hand_over_case_read USING btree (accessed_at);


--
-- Name: ix_hand_over_case_record_id; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_hand_over_case_record_id ON @SCHEMA@.hand_over_case USING btree (record_id);


--
-- Name: ix_identifikationsmerkmal_expires; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_identifikationsmerkmal_expires ON @SCHEMA@.identifikationsmerkmal USING btree (expires_at);


--
-- Name: ix_protocol_access_accessed_at; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_access_accessed_at ON @SCHEMA@.protocol_access USING btree (accessed_at);


--
-- Name: ix_protocol_outbox_pending; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_outbox_pending ON @SCHEMA@.protocol_outbox USING btree (processed_at, id);


--
-- Name: ix_protocol_outbox_record_id; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_outbox_record_id ON @SCHEMA@.protocol_outbox USING btree (record_id);


--
-- Name: ix_protocol_payload_period; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_payload_period ON @SCHEMA@.protocol_payload USING btree (period);


--
-- Name: ix_protocol_record_authority_id; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_record_authority_id ON @SCHEMA@.protocol_record USING btree (authority_id);


--
-- Name: ix_protocol_record_outcome; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_record_outcome ON @SCHEMA@.protocol_record USING btree (outcome);


--
-- Name: ix_protocol_record_received_at; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_record_received_at ON @SCHEMA@.protocol_record USING btree (received_at);


--
-- Name: ix_protocol_record_request_message_id; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_record_request_message_id ON @SCHEMA@.protocol_record USING btree (request_message_id);


--
-- Name: ix_protocol_record_unlogged; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_protocol_record_unlogged ON @SCHEMA@.protocol_record USING btree (seq) WHERE (log_index IS NULL);


--
-- Name: ix_replay_claim_claimed_at; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_replay_claim_claimed_at ON @SCHEMA@.replay_claim USING btree (claimed_at);


--
-- Name: ux_protocol_record_log_index; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE UNIQUE INDEX ux_protocol_record_log_index ON @SCHEMA@.protocol_record USING btree (log_index);


--
-- Name: access_certificate access_certificate_user_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_certificate
    ADD CONSTRAINT access_certificate_user_id_fkey FOREIGN KEY (user_id) REFERENCES @SCHEMA@.access_user(id);


--
-- Name: access_status access_status_authority_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_status
    ADD CONSTRAINT access_status_authority_id_fkey FOREIGN KEY (authority_id) REFERENCES @SCHEMA@.access_authority(id);


--
-- Name: access_status access_status_user_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_status
    ADD CONSTRAINT access_status_user_id_fkey FOREIGN KEY (user_id) REFERENCES @SCHEMA@.access_user(id);


--
-- Name: access_user access_user_authority_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.access_user
    ADD CONSTRAINT access_user_authority_id_fkey FOREIGN KEY (authority_id) REFERENCES @SCHEMA@.access_authority(id);


--
-- Name: protocol_outbox protocol_outbox_record_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.protocol_outbox
    ADD CONSTRAINT protocol_outbox_record_id_fkey FOREIGN KEY (record_id) REFERENCES @SCHEMA@.protocol_record(record_id);


--
-- PostgreSQL database dump complete
--


