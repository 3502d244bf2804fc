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
-- Name: register_anschrift; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_anschrift (
    person_id bigint NOT NULL,
    lfd_nr integer NOT NULL,
    ags character varying(8),
    postleitzahl text,
    strasse text,
    hausnummer text,
    hausnummer_buchstabe text,
    teilnummer text,
    aktuell boolean NOT NULL,
    wohnort text,
    hausnummer_zahl integer,
    wohnungsstatus character varying(1),
    einzug character varying(10),
    auszug character varying(10)
);


--
-- Name: register_geburtsdatum; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_geburtsdatum (
    person_id bigint NOT NULL,
    datum character varying(10) NOT NULL,
    beginn character varying(10)
);


--
-- Name: register_import_log; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_import_log (
    id bigint NOT NULL,
    ags character varying(8) NOT NULL,
    received_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    records integer NOT NULL,
    source text NOT NULL,
    complete boolean NOT NULL
);


--
-- Name: register_import_log_id_seq; Type: SEQUENCE; Schema: @SCHEMA@; Owner: -
--

CREATE SEQUENCE @SCHEMA@.register_import_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: register_import_log_id_seq; Type: SEQUENCE OWNED BY; Schema: @SCHEMA@; Owner: -
--

ALTER SEQUENCE @SCHEMA@.register_import_log_id_seq OWNED BY @SCHEMA@.register_import_log.id;


--
-- Name: register_name; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_name (
    person_id bigint NOT NULL,
    kind character varying(30) NOT NULL,
    value text NOT NULL,
    ags character varying(8) NOT NULL,
    phon text
);


--
-- Name: register_person; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_person (
    id bigint NOT NULL,
    ags character varying(8) NOT NULL,
    doktorgrad text,
    geburtsort text,
    geburtsstaat text,
    geschlecht character varying(1),
    sterbedatum character varying(10),
    sterbeort text,
    sterbestaat text,
    azr_nummer text,
    familienstand character varying(2),
    aktuell boolean,
    waffenerlaubnis boolean,
    waffenbesitzverbot boolean,
    sprengstofferlaubnis boolean,
    record json NOT NULL,
    imported_at timestamp with time zone NOT NULL
);


--
-- Name: register_sperre; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_sperre (
    person_id bigint NOT NULL,
    lfd_nr integer NOT NULL,
    code character varying(2) NOT NULL,
    bis date,
    veranlassende_stelle text
);


--
-- Name: register_staatsangehoerigkeit; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_staatsangehoerigkeit (
    person_id bigint NOT NULL,
    staat text NOT NULL
);


--
-- Name: register_strasse; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_strasse (
    ags character varying(8) NOT NULL,
    strasse text NOT NULL,
    bezeichnung text NOT NULL,
    eingetragen_at timestamp with time zone NOT NULL
);


--
-- Name: register_vorname; Type: TABLE; Schema: @SCHEMA@; Owner: -
--

CREATE TABLE @SCHEMA@.register_vorname (
    person_id bigint NOT NULL,
    value text NOT NULL,
    phon text,
    frueher boolean NOT NULL
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
-- Name: register_import_log id; Type: DEFAULT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_import_log ALTER COLUMN id SET DEFAULT nextval('@SCHEMA@.register_import_log_id_seq'::regclass);


--
-- Data for Name: register_anschrift; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_anschrift VALUES (1, 0, '03241001', '30177', 'PODBIELSKISTRASSE', '17', NULL, NULL, true, 'HANNOVER', 17, '0', '2011-04-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1, 1, '03241001', '30161', 'LISTERMEILE', '33', NULL, NULL, false, 'HANNOVER', 33, '0', '1990-10-01', '2011-03-31');
INSERT INTO @SCHEMA@.register_anschrift VALUES (2, 0, '03101000', '38100', 'BOHLWEG', '12', NULL, NULL, true, 'BRAUNSCHWEIG', 12, '0', '2003-05-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (3, 0, '03101000', '38100', 'WENDENSTRASSE', '5', NULL, NULL, true, 'BRAUNSCHWEIG', 5, '0', '2015-09-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (4, 0, '03404000', '49074', 'HASESTRASSE', '41', NULL, NULL, true, 'OSNABRUECK', 41, '0', '2018-02-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (5, 0, '03403000', '26122', 'HAARENSTRASSE', '7', NULL, NULL, true, 'OLDENBURGOLDB', 7, '0', '2009-01-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (6, 0, '03159016', '37085', 'REINHAEUSERLANDSTRASSE', '58', NULL, NULL, true, 'GOETTINGEN', 58, '0', '2020-06-15', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (7, 0, '03351006', '29221', 'ZOELLNERSTRASSE', '20', NULL, NULL, false, 'CELLE', 20, '0', '1975-03-01', '2023-11-03');
INSERT INTO @SCHEMA@.register_anschrift VALUES (8, 0, '03103000', '38440', 'PORSCHESTRASSE', '40', NULL, NULL, false, 'WOLFSBURG', 40, '0', '2016-10-01', '2022-08-31');
INSERT INTO @SCHEMA@.register_anschrift VALUES (9, 0, '03254021', '31134', 'ALMSSTRASSE', '3', NULL, NULL, false, 'HILDESHEIM', 3, '0', '2012-04-01', '2024-01-31');
INSERT INTO @SCHEMA@.register_anschrift VALUES (10, 0, '03355022', '21335', 'AMSANDE', '9', NULL, NULL, true, 'LUENEBURG', 9, '0', '2014-08-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (11, 0, '03241001', '30159', 'GROSSEDUEWELSTRASSE', '12', 'A', NULL, true, 'HANNOVER', 12, '0', '1999-12-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (12, 0, '03102000', '38226', 'HAUPTSTRASSE', '101', NULL, NULL, true, 'SALZGITTER', 101, '0', '1991-02-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (13, 0, '03157006', '31224', 'BAHNHOFSTRASSE', '8', NULL, NULL, false, 'PEINE', 8, '0', NULL, '2010-05-31');
INSERT INTO @SCHEMA@.register_anschrift VALUES (14, 0, '03351006', '29223', 'WITTINGERSTRASSE', '112', NULL, NULL, true, 'CELLE', 112, '0', '2001-07-01', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (15, 0, '03254021', '31134', 'ZINGEL', '15', NULL, NULL, true, 'HILDESHEIM', 15, '0', '1979-08-15', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1000, 0, '03241008', '30916', 'LINDENSTRASSE', '1', NULL, NULL, true, 'ISERNHAGEN', 1, '0', '2018-09-27', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1000, 1, '03241008', '30916', 'MOORWEG', '1', NULL, NULL, false, 'ISERNHAGEN', 1, '0', '2007-10-14', '2018-09-26');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1000, 2, '03241008', '30916', 'DORFSTRASSE', '1', NULL, NULL, false, 'ISERNHAGEN', 1, '0', '2007-03-15', '2007-10-13');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1001, 0, '03361001', '28832', 'FRIEDHOFSTRASSE', '1', NULL, NULL, true, 'ACHIM', 1, '0', '2023-09-10', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1002, 0, '03361001', '28832', 'FRIEDHOFSTRASSE', '1', NULL, NULL, true, 'ACHIM', 1, '0', '2023-09-10', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1002, 1, '03101000', '38126', 'WENDENSTRASSE', '1', NULL, NULL, false, 'BRAUNSCHWEIG', 1, '0', '2009-11-27', '2023-09-09');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1003, 0, '03460009', '49377', 'GOETHESTRASSE', '4', NULL, NULL, true, 'VECHTA', 4, '0', '2020-02-12', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1003, 1, '03460009', '49377', 'BEETHOVENSTRASSE', '1', NULL, NULL, false, 'VECHTA', 1, '0', '2002-12-23', '2020-02-11');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1004, 0, '03460009', '49377', 'GOETHESTRASSE', '4', NULL, NULL, true, 'VECHTA', 4, '0', '2020-02-12', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1004, 1, '03451007', '26655', 'MUEHLENWEG', '1', NULL, NULL, false, 'WESTERSTEDE', 1, '0', '1979-10-09', '2020-02-11');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1004, 2, '03460009', '49377', 'BEETHOVENSTRASSE', '1', NULL, NULL, false, 'VECHTA', 1, '0', '1967-04-11', '1979-10-08');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1005, 0, '03460009', '49377', 'GOETHESTRASSE', '4', NULL, NULL, true, 'VECHTA', 4, '0', '2020-02-12', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1006, 0, '03460009', '49377', 'GOETHESTRASSE', '4', NULL, NULL, true, 'VECHTA', 4, '0', '2020-02-12', NULL);
INSERT INTO @SCHEMA@.register_anschrift VALUES (1006, 1, '03402000', '26723', 'AMSELWEG', '1', NULL, NULL, false, 'EMDEN', 1, '0', '2020-01-05', '2020-02-11');
INSERT INTO @SCHEMA@.register_anschrift VALUES (1007, 0, '03460009', '49377', 'GOETHESTRASSE', '4', NULL, NULL, true, 'VECHTA', 4, '0', '2020-02-12', NULL);


--
-- Data for Name: register_geburtsdatum; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1, '1964-08-12', '1964-08-12');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (2, '1971-02-03', '1971-02-03');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (3, '1985-11-30', '1985-11-30');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (4, '1979-05-21', '1979-05-21');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (5, '1968-10-09', '1968-10-09');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (6, '1936-04-17', '1936-04-17');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (7, '1931-12-24', '1931-12-24');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (8, '1992-07-07', '1992-07-07');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (9, '1988-01-19', '1988-01-19');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (10, '1975-09-02', '1975-09-02');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (11, '1959-02-28', '1959-02-28');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (12, '1958-03', '1958-03-01');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (12, '1958', '1958-01-01');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (13, '1940-06-30', '1940-06-30');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (14, '1966-03-14', '1966-03-14');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (15, '1951-11-11', '1951-11-11');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1000, '1985-09-29', '1985-09-29');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1001, '1990-09-08', '1990-09-08');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1002, '1991-04-25', '1991-04-25');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1003, '1939-03-10', '1939-03-10');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1004, '1938-06-30', '1938-06-30');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1005, '2019-03-31', '2019-03-31');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1006, '2001-12-07', '2001-12-07');
INSERT INTO @SCHEMA@.register_geburtsdatum VALUES (1007, '2011-04-17', '2011-04-17');


--
-- Data for Name: register_import_log; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_import_log VALUES (1, '03101000', '2026-11-29 08:51:20.291764+00', 'initialbestand', 2, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (2, '03102000', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (3, '03103000', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (4, '03157006', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (5, '03159016', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (6, '03241001', '2026-11-29 08:51:20.291764+00', 'initialbestand', 2, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (7, '03241008', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (8, '03254021', '2026-11-29 08:51:20.291764+00', 'initialbestand', 2, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (9, '03351006', '2026-11-29 08:51:20.291764+00', 'initialbestand', 2, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (10, '03355022', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (11, '03361001', '2026-11-29 08:51:20.291764+00', 'initialbestand', 2, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (12, '03403000', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (13, '03404000', '2026-11-29 08:51:20.291764+00', 'initialbestand', 1, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (14, '03460009', '2026-11-29 08:51:20.291764+00', 'initialbestand', 5, 'synthetic generator, seed 7', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (15, '03101000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 22, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (16, '03102000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (17, '03103000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 11, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (18, '03151009', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (19, '03153017', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (20, '03154013', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (21, '03154028', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (22, '03155013', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (23, '03157006', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (24, '03158037', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (25, '03159016', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 16, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (26, '03159017', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (27, '03159019', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (28, '03241001', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 45, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (29, '03241002', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (30, '03241003', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (31, '03241005', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (32, '03241007', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (33, '03241008', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (34, '03241009', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (35, '03241010', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (36, '03241011', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (37, '03241019', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (38, '03241021', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (39, '03251047', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (40, '03252006', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (41, '03254021', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 12, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (42, '03255023', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (43, '03351006', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 11, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (44, '03352011', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (45, '03353040', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (46, '03354018', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (47, '03355022', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 11, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (48, '03357057', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (49, '03358024', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (50, '03361001', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (51, '03361012', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (52, '03401000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (53, '03402000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (54, '03403000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 16, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (55, '03404000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 16, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (56, '03405000', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (57, '03451002', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (58, '03451007', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (59, '03452001', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (60, '03454032', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (61, '03454035', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (62, '03455007', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (63, '03455026', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (64, '03457013', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (65, '03458014', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (66, '03459024', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (67, '03460006', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (68, '03460009', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);
INSERT INTO @SCHEMA@.register_import_log VALUES (69, '03462019', '2026-11-29 08:51:20.353074+00', 'strassenverzeichnis', 50, 'synthetic street directories', true);


--
-- Data for Name: register_name; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_name VALUES (1, 'familienname', 'MUSTERMANN', '03241001', '682766');
INSERT INTO @SCHEMA@.register_name VALUES (1, 'geburtsname', 'GABLER', '03241001', '4157');
INSERT INTO @SCHEMA@.register_name VALUES (2, 'familienname', 'BEISPIELMANN', '03101000', '181566');
INSERT INTO @SCHEMA@.register_name VALUES (3, 'familienname', 'BEISPIELMANN', '03101000', '181566');
INSERT INTO @SCHEMA@.register_name VALUES (4, 'familienname', 'SCHUTZMEIER', '03404000', '8867');
INSERT INTO @SCHEMA@.register_name VALUES (5, 'familienname', 'GEHEIMRATH', '03403000', '4672');
INSERT INTO @SCHEMA@.register_name VALUES (6, 'familienname', 'PFLEGEWITZ', '03159016', '135438');
INSERT INTO @SCHEMA@.register_name VALUES (7, 'familienname', 'STERNECK', '03351006', '82764');
INSERT INTO @SCHEMA@.register_name VALUES (8, 'familienname', 'FERNWEH', '03103000', '3763');
INSERT INTO @SCHEMA@.register_name VALUES (9, 'familienname', 'WANDERSLEBEN', '03254021', '36278516');
INSERT INTO @SCHEMA@.register_name VALUES (10, 'familienname', 'KRANICHFELD', '03355022', '4764352');
INSERT INTO @SCHEMA@.register_name VALUES (10, 'geburtsname', 'REIHERSTIEG', '03355022', '77824');
INSERT INTO @SCHEMA@.register_name VALUES (10, 'frueherer_familienname', 'SPERBERG', '03355022', '817174');
INSERT INTO @SCHEMA@.register_name VALUES (11, 'familienname', 'WEISSHAEUPLOEHLSCHLAEGER', '03241001', '381558547');
INSERT INTO @SCHEMA@.register_name VALUES (12, 'familienname', 'NIEZNANY', '03102000', '6866');
INSERT INTO @SCHEMA@.register_name VALUES (13, 'familienname', 'ALTBESTAND', '03157006', '05218262');
INSERT INTO @SCHEMA@.register_name VALUES (14, 'familienname', 'KIMME', '03351006', '46');
INSERT INTO @SCHEMA@.register_name VALUES (15, 'familienname', 'NONNWEILER', '03254021', '66357');
INSERT INTO @SCHEMA@.register_name VALUES (15, 'ordensname', 'SCHWESTERBENEDIKTA', '03254021', '8382716242');
INSERT INTO @SCHEMA@.register_name VALUES (1000, 'familienname', 'FISCHER', '03241008', '387');
INSERT INTO @SCHEMA@.register_name VALUES (1001, 'familienname', 'FUCHS', '03361001', '348');
INSERT INTO @SCHEMA@.register_name VALUES (1002, 'familienname', 'KOESTER', '03361001', '4827');
INSERT INTO @SCHEMA@.register_name VALUES (1003, 'familienname', 'ROTH', '03460009', '72');
INSERT INTO @SCHEMA@.register_name VALUES (1004, 'familienname', 'MEINECKE', '03460009', '664');
INSERT INTO @SCHEMA@.register_name VALUES (1004, 'frueherer_familienname', 'LUEHRS', '03460009', '578');
INSERT INTO @SCHEMA@.register_name VALUES (1005, 'familienname', 'ROTH', '03460009', '72');
INSERT INTO @SCHEMA@.register_name VALUES (1006, 'familienname', 'ROTH', '03460009', '72');
INSERT INTO @SCHEMA@.register_name VALUES (1007, 'familienname', 'ROTH', '03460009', '72');


--
-- Data for Name: register_person; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_person VALUES (1, '03241001', NULL, 'BERLIN', 'DEU', 'W', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 1, "ags": "03241001", "familienname": "Mustermann", "geburtsname": "Gabler", "vornamen": ["Erika"], "gebraeuchlicher_vorname": "Erika", "geburtsdatum": "1964-08-12", "geburtsort": "Berlin", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03241001", "postleitzahl": "30177", "wohnort": "Hannover", "strasse": "Podbielskistra\u00dfe", "hausnummer": "17", "wohnungsstatus": "0", "einzugsdatum": "2011-04-01"}, {"ags": "03241001", "postleitzahl": "30161", "wohnort": "Hannover", "strasse": "Lister Meile", "hausnummer": "33", "wohnungsstatus": "0", "einzugsdatum": "1990-10-01", "auszugsdatum": "2011-03-31", "aktuell": false}], "familienstand": "VH", "familienstand_datum": "1989-06-16", "familienstand_ort": "Hannover", "angehoerige": [{"art": "ehegatte", "familienname": "Mustermann", "vornamen": ["Max"], "geburtsdatum": "1962-01-25", "geschlecht": "m", "auskunftssperre": true}], "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Landeshauptstadt Hannover", "ausstellungsdatum": "2021-03-01", "gueltig_bis": "2031-02-28", "seriennummer": "T22000129"}, {"art": "RP", "ausstellungsbehoerde": "Landeshauptstadt Hannover", "ausstellungsdatum": "2019-07-08", "gueltig_bis": "2029-07-07", "seriennummer": "C01X00T47"}], "wohnungsgeber": [{"name": "Wohnungsbaugesellschaft List eG", "anschrift": "Podbielskistra\u00dfe 1, 30177 Hannover"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (2, '03101000', NULL, 'BRAUNSCHWEIG', 'DEU', 'M', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 2, "ags": "03101000", "familienname": "Beispielmann", "vornamen": ["Klaus", "Dieter"], "geburtsdatum": "1971-02-03", "geburtsort": "Braunschweig", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03101000", "postleitzahl": "38100", "wohnort": "Braunschweig", "strasse": "Bohlweg", "hausnummer": "12", "wohnungsstatus": "0", "einzugsdatum": "2003-05-01"}], "familienstand": "LD"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (3, '03101000', NULL, 'WOLFENBUETTEL', 'DEU', 'M', NULL, NULL, NULL, NULL, 'GS', true, false, false, false, '{"id": 3, "ags": "03101000", "familienname": "Beispielmann", "vornamen": ["Klaus"], "geburtsdatum": "1985-11-30", "geburtsort": "Wolfenb\u00fcttel", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03101000", "postleitzahl": "38100", "wohnort": "Braunschweig", "strasse": "Wendenstra\u00dfe", "hausnummer": "5", "wohnungsstatus": "0", "einzugsdatum": "2015-09-01"}], "familienstand": "GS"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (4, '03404000', NULL, 'OSNABRUECK', 'DEU', 'W', NULL, NULL, NULL, NULL, NULL, true, false, false, false, '{"id": 4, "ags": "03404000", "familienname": "Schutzmeier", "vornamen": ["Petra"], "geburtsdatum": "1979-05-21", "geburtsort": "Osnabr\u00fcck", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03404000", "postleitzahl": "49074", "wohnort": "Osnabr\u00fcck", "strasse": "Hasestra\u00dfe", "hausnummer": "41", "wohnungsstatus": "0", "einzugsdatum": "2018-02-01"}], "auskunftssperren": [{"code": "3", "veranlassende_stelle": "Stadt Osnabr\u00fcck"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (5, '03403000', NULL, 'OLDENBURGOLDB', 'DEU', 'M', NULL, NULL, NULL, NULL, NULL, true, false, false, false, '{"id": 5, "ags": "03403000", "familienname": "Geheimrath", "vornamen": ["Hartmut"], "geburtsdatum": "1968-10-09", "geburtsort": "Oldenburg (Oldb)", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03403000", "postleitzahl": "26122", "wohnort": "Oldenburg (Oldb)", "strasse": "Haarenstra\u00dfe", "hausnummer": "7", "wohnungsstatus": "0", "einzugsdatum": "2009-01-01"}], "auskunftssperren": [{"code": "11", "veranlassende_stelle": "Landeskriminalamt Niedersachsen"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (6, '03159016', NULL, 'GOETTINGEN', 'DEU', 'W', NULL, NULL, NULL, NULL, 'VW', true, false, false, false, '{"id": 6, "ags": "03159016", "familienname": "Pflegewitz", "vornamen": ["Hildegard", "Anna"], "geburtsdatum": "1936-04-17", "geburtsort": "G\u00f6ttingen", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03159016", "postleitzahl": "37085", "wohnort": "G\u00f6ttingen", "strasse": "Reinh\u00e4user Landstra\u00dfe", "hausnummer": "58", "zusatzangaben": "Seniorenresidenz, Zimmer 214", "wohnungsstatus": "0", "einzugsdatum": "2020-06-15", "bedingter_sperrvermerk": true}], "familienstand": "VW"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (7, '03351006', NULL, 'CELLE', 'DEU', 'M', '2023-11-03', 'CELLE', 'DEU', NULL, 'VW', false, false, false, false, '{"id": 7, "ags": "03351006", "familienname": "Sterneck", "vornamen": ["Gottfried"], "geburtsdatum": "1931-12-24", "geburtsort": "Celle", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03351006", "postleitzahl": "29221", "wohnort": "Celle", "strasse": "Z\u00f6llnerstra\u00dfe", "hausnummer": "20", "wohnungsstatus": "0", "einzugsdatum": "1975-03-01", "auszugsdatum": "2023-11-03", "aktuell": false}], "familienstand": "VW", "sterbedatum": "2023-11-03", "sterbeort": "Celle", "sterbestaat": "DEU"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (8, '03103000', NULL, 'WOLFSBURG', 'DEU', 'W', NULL, NULL, NULL, NULL, 'LD', false, false, false, false, '{"id": 8, "ags": "03103000", "familienname": "Fernweh", "vornamen": ["Lena"], "geburtsdatum": "1992-07-07", "geburtsort": "Wolfsburg", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03103000", "postleitzahl": "38440", "wohnort": "Wolfsburg", "strasse": "Porschestra\u00dfe", "hausnummer": "40", "wohnungsstatus": "0", "einzugsdatum": "2016-10-01", "auszugsdatum": "2022-08-31", "aktuell": false}], "wegzug_ausland_staat": "AUT", "wegzug_ausland_anschrift": "Mariahilfer Stra\u00dfe 88, 1070 Wien", "familienstand": "LD"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (9, '03254021', NULL, 'HILDESHEIM', 'DEU', 'M', NULL, NULL, NULL, NULL, 'LD', false, false, false, false, '{"id": 9, "ags": "03254021", "familienname": "Wandersleben", "vornamen": ["Moritz"], "geburtsdatum": "1988-01-19", "geburtsort": "Hildesheim", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03254021", "postleitzahl": "31134", "wohnort": "Hildesheim", "strasse": "Almsstra\u00dfe", "hausnummer": "3", "wohnungsstatus": "0", "einzugsdatum": "2012-04-01", "auszugsdatum": "2024-01-31", "aktuell": false}], "wegzug_inland": true, "familienstand": "LD"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (10, '03355022', NULL, 'LUENEBURG', 'DEU', 'W', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 10, "ags": "03355022", "familienname": "Kranichfeld", "geburtsname": "Reiherstieg", "fruehere_familiennamen": ["Sperberg"], "vornamen": ["Anna", "Luise"], "geburtsdatum": "1975-09-02", "geburtsort": "L\u00fcneburg", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03355022", "postleitzahl": "21335", "wohnort": "L\u00fcneburg", "strasse": "Am Sande", "hausnummer": "9", "wohnungsstatus": "0", "einzugsdatum": "2014-08-01"}], "familienstand": "VH"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (11, '03241001', NULL, 'BUECKEBURG', 'DEU', 'M', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 11, "ags": "03241001", "familienname": "Wei\u00dfh\u00e4upl-\u00d6hlschl\u00e4ger", "vornamen": ["J\u00fcrgen", "Bj\u00f6rn"], "geburtsdatum": "1959-02-28", "geburtsort": "B\u00fcckeburg", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03241001", "postleitzahl": "30159", "wohnort": "Hannover", "strasse": "Gro\u00dfe D\u00fcwelstra\u00dfe", "hausnummer": "12", "hausnummer_buchstabe": "a", "wohnungsstatus": "0", "einzugsdatum": "1999-12-01"}], "familienstand": "LD"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (12, '03102000', NULL, 'LODZ', 'POL', 'M', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 12, "ags": "03102000", "familienname": "Nieznany", "vornamen": ["Bogdan"], "geburtsdatum": "1958-03", "fruehere_geburtsdaten": ["1958"], "geburtsort": "\u0141\u00f3d\u017a", "geburtsstaat": "POL", "geschlecht": "m", "staatsangehoerigkeiten": ["POL", "DEU"], "anschriften": [{"ags": "03102000", "postleitzahl": "38226", "wohnort": "Salzgitter", "strasse": "Hauptstra\u00dfe", "hausnummer": "101", "wohnungsstatus": "0", "einzugsdatum": "1991-02-01"}], "zuzug_aus_ausland_staat": "POL", "familienstand": "VH"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (13, '03157006', NULL, 'PEINE', NULL, 'M', NULL, NULL, NULL, NULL, NULL, false, false, false, false, '{"id": 13, "ags": "03157006", "familienname": "Altbestand", "vornamen": ["Erich"], "geburtsdatum": "1940-06-30", "geburtsort": "Peine", "geschlecht": "m", "anschriften": [{"ags": "03157006", "postleitzahl": "31224", "wohnort": "Peine", "strasse": "Bahnhofstra\u00dfe", "hausnummer": "8", "wohnungsstatus": "0", "auszugsdatum": "2010-05-31", "aktuell": false}], "wegzug_inland": true, "verringerter_datenumfang": true}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (14, '03351006', NULL, 'CELLE', 'DEU', 'M', NULL, NULL, NULL, NULL, 'VH', true, true, false, true, '{"id": 14, "ags": "03351006", "familienname": "Kimme", "vornamen": ["R\u00fcdiger"], "geburtsdatum": "1966-03-14", "geburtsort": "Celle", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03351006", "postleitzahl": "29223", "wohnort": "Celle", "strasse": "Wittinger Stra\u00dfe", "hausnummer": "112", "wohnungsstatus": "0", "einzugsdatum": "2001-07-01"}], "familienstand": "VH", "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Celle", "ausstellungsdatum": "2020-05-04", "gueltig_bis": "2030-05-03", "seriennummer": "T01K1MM3X"}], "waffenerlaubnis": {"datum": "1998-09-01", "behoerde": "Landkreis Celle", "aktenzeichen": "32.1-WBK-0815"}, "sprengstofferlaubnis": {"datum": "2005-02-15", "behoerde": "Gewerbeaufsichtsamt Celle", "aktenzeichen": "SprengG-27/05"}, "wohnungsgeber": [{"name": "Kimme, R\u00fcdiger", "anschrift": "Wittinger Stra\u00dfe 112, 29223 Celle"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (15, '03254021', NULL, 'HILDESHEIM', 'DEU', 'W', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 15, "ags": "03254021", "familienname": "Nonnweiler", "vornamen": ["Gertrud"], "ordensname": "Schwester Benedikta", "geburtsdatum": "1951-11-11", "geburtsort": "Hildesheim", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03254021", "postleitzahl": "31134", "wohnort": "Hildesheim", "strasse": "Zingel", "hausnummer": "15", "wohnungsstatus": "0", "einzugsdatum": "1979-08-15"}], "familienstand": "LD"}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1000, '03241008', NULL, 'ISERNHAGEN', 'DEU', 'W', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 1000, "ags": "03241008", "familienname": "Fischer", "vornamen": ["Jacqueline"], "geburtsdatum": "1985-09-29", "geburtsort": "Isernhagen", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03241008", "postleitzahl": "30916", "wohnort": "Isernhagen", "strasse": "Lindenstra\u00dfe", "hausnummer": "1", "wohnungsnummer": "4. OG", "wohnungsstatus": "0", "einzugsdatum": "2018-09-27"}, {"ags": "03241008", "postleitzahl": "30916", "wohnort": "Isernhagen", "strasse": "Moorweg", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2007-10-14", "auszugsdatum": "2018-09-26", "aktuell": false}, {"ags": "03241008", "postleitzahl": "30916", "wohnort": "Isernhagen", "strasse": "Dorfstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2007-03-15", "auszugsdatum": "2007-10-13", "aktuell": false}], "familienstand": "LD", "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Isernhagen", "ausstellungsdatum": "2022-10-05", "gueltig_bis": "2032-10-04", "seriennummer": "GNWPVZFWJ"}, {"art": "RP", "ausstellungsbehoerde": "Stadt Isernhagen", "ausstellungsdatum": "2020-01-06", "gueltig_bis": "2030-01-05", "seriennummer": "T8GY45PPW"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1001, '03361001', NULL, 'ACHIM', 'DEU', 'W', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 1001, "ags": "03361001", "familienname": "Fuchs", "vornamen": ["Hannah", "Anna"], "gebraeuchlicher_vorname": "Hannah", "geburtsdatum": "1990-09-08", "geburtsort": "Achim", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03361001", "postleitzahl": "28832", "wohnort": "Achim", "strasse": "Friedhofstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2023-09-10"}], "familienstand": "VH", "familienstand_datum": "2024-11-01", "familienstand_ort": "Achim", "angehoerige": [{"art": "ehegatte", "familienname": "K\u00f6ster", "vornamen": ["Michael", "Niklas"], "geburtsdatum": "1991-04-25", "geschlecht": "m", "anschrift": {"ags": "03361001", "postleitzahl": "28832", "wohnort": "Achim", "strasse": "Friedhofstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2023-09-10"}}], "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Achim", "ausstellungsdatum": "2020-05-17", "gueltig_bis": "2030-05-17", "seriennummer": "7464RRG0F"}, {"art": "RP", "ausstellungsbehoerde": "Stadt Achim", "ausstellungsdatum": "2023-02-26", "gueltig_bis": "2033-02-25", "seriennummer": "TGZGYX8ZF"}], "wohnungsgeber": [{"name": "Hausverwaltung Sauer GmbH", "anschrift": "M\u00fchlenweg 63, 28832 Achim"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1002, '03361001', NULL, 'ACHIM', 'DEU', 'M', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 1002, "ags": "03361001", "familienname": "K\u00f6ster", "vornamen": ["Michael", "Niklas"], "gebraeuchlicher_vorname": "Michael", "geburtsdatum": "1991-04-25", "geburtsort": "Achim", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03361001", "postleitzahl": "28832", "wohnort": "Achim", "strasse": "Friedhofstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2023-09-10"}, {"ags": "03101000", "postleitzahl": "38126", "wohnort": "Braunschweig", "strasse": "Wendenstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2009-11-27", "auszugsdatum": "2023-09-09", "aktuell": false}], "familienstand": "VH", "familienstand_datum": "2021-03-13", "familienstand_ort": "Achim", "angehoerige": [{"art": "ehegatte", "familienname": "Fuchs", "vornamen": ["Hannah", "Anna"], "geburtsdatum": "1990-09-08", "geschlecht": "w", "anschrift": {"ags": "03361001", "postleitzahl": "28832", "wohnort": "Achim", "strasse": "Friedhofstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2023-09-10"}}], "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Achim", "ausstellungsdatum": "2019-11-10", "gueltig_bis": "2029-11-09", "seriennummer": "NL496452L"}], "wohnungsgeber": [{"name": "Wohnungsgenossenschaft Achim eG", "anschrift": "Gro\u00dfe Stra\u00dfe 78, 28832 Achim"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1003, '03460009', NULL, 'CELLE', 'DEU', 'W', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 1003, "ags": "03460009", "familienname": "Roth", "vornamen": ["Brigitte"], "geburtsdatum": "1939-03-10", "geburtsort": "Celle", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Beethovenstra\u00dfe", "hausnummer": "1", "wohnungsnummer": "3. OG", "wohnungsstatus": "0", "einzugsdatum": "2002-12-23", "auszugsdatum": "2020-02-11", "aktuell": false}], "familienstand": "VH", "familienstand_datum": "2002-03-25", "familienstand_ort": "Vechta", "angehoerige": [{"art": "ehegatte", "familienname": "Meinecke", "vornamen": ["Siegfried"], "geburtsdatum": "1938-06-30", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Lukas"], "geburtsdatum": "2019-03-31", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Linus", "Philipp"], "geburtsdatum": "2001-12-07", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Finja", "Ella"], "geburtsdatum": "2011-04-17", "geschlecht": "w", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Jonas"], "geburtsdatum": "2024-08-02", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}], "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Vechta", "ausstellungsdatum": "2017-11-05", "gueltig_bis": "2027-11-05", "seriennummer": "WX4GYLM3W"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1004, '03460009', NULL, 'VECHTA', 'DEU', 'M', NULL, NULL, NULL, NULL, 'VH', true, false, false, false, '{"id": 1004, "ags": "03460009", "familienname": "Meinecke", "fruehere_familiennamen": ["L\u00fchrs"], "vornamen": ["Siegfried"], "geburtsdatum": "1938-06-30", "geburtsort": "Vechta", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, {"ags": "03451007", "postleitzahl": "26655", "wohnort": "Westerstede", "strasse": "M\u00fchlenweg", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "1979-10-09", "auszugsdatum": "2020-02-11", "aktuell": false}, {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Beethovenstra\u00dfe", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "1967-04-11", "auszugsdatum": "1979-10-08", "aktuell": false}], "familienstand": "VH", "familienstand_datum": "2019-12-14", "familienstand_ort": "Vechta", "angehoerige": [{"art": "ehegatte", "familienname": "Roth", "vornamen": ["Brigitte"], "geburtsdatum": "1939-03-10", "geschlecht": "w", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Lukas"], "geburtsdatum": "2019-03-31", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Linus", "Philipp"], "geburtsdatum": "2001-12-07", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Finja", "Ella"], "geburtsdatum": "2011-04-17", "geschlecht": "w", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}, {"art": "kind", "familienname": "Roth", "vornamen": ["Jonas"], "geburtsdatum": "2024-08-02", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}}], "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Vechta", "ausstellungsdatum": "2020-04-02", "gueltig_bis": "2030-04-02", "seriennummer": "K8RW95JTW"}, {"art": "RP", "ausstellungsbehoerde": "Stadt Vechta", "ausstellungsdatum": "2023-04-21", "gueltig_bis": "2033-04-20", "seriennummer": "PGPPV1RWM"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1005, '03460009', NULL, 'HAMBURG', 'DEU', 'M', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 1005, "ags": "03460009", "familienname": "Roth", "vornamen": ["Lukas"], "geburtsdatum": "2019-03-31", "geburtsort": "Hamburg", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}], "familienstand": "LD", "angehoerige": [{"art": "gesetzlicherVertreter", "familienname": "Roth", "vornamen": ["Brigitte"], "geburtsdatum": "1939-03-10", "geschlecht": "w", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, "art_der_vertretung": "Eltern"}, {"art": "gesetzlicherVertreter", "familienname": "Meinecke", "vornamen": ["Siegfried"], "geburtsdatum": "1938-06-30", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, "art_der_vertretung": "Eltern"}], "ausweise": [{"art": "RP", "ausstellungsbehoerde": "Stadt Vechta", "ausstellungsdatum": "2020-10-05", "gueltig_bis": "2026-10-05", "seriennummer": "518RXWWNM"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1006, '03460009', NULL, 'VECHTA', 'DEU', 'M', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 1006, "ags": "03460009", "familienname": "Roth", "vornamen": ["Linus", "Philipp"], "gebraeuchlicher_vorname": "Linus", "geburtsdatum": "2001-12-07", "geburtsort": "Vechta", "geburtsstaat": "DEU", "geschlecht": "m", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, {"ags": "03402000", "postleitzahl": "26723", "wohnort": "Emden", "strasse": "Amselweg", "hausnummer": "1", "wohnungsstatus": "0", "einzugsdatum": "2020-01-05", "auszugsdatum": "2020-02-11", "aktuell": false}], "familienstand": "LD", "ausweise": [{"art": "PA", "ausstellungsbehoerde": "Stadt Vechta", "ausstellungsdatum": "2024-12-06", "gueltig_bis": "2030-12-06", "seriennummer": "J8ZXKV1M4"}]}', '2026-11-29 08:51:20.265271+00');
INSERT INTO @SCHEMA@.register_person VALUES (1007, '03460009', NULL, 'MUENSTER', 'DEU', 'W', NULL, NULL, NULL, NULL, 'LD', true, false, false, false, '{"id": 1007, "ags": "03460009", "familienname": "Roth", "vornamen": ["Finja", "Ella"], "gebraeuchlicher_vorname": "Finja", "geburtsdatum": "2011-04-17", "geburtsort": "M\u00fcnster", "geburtsstaat": "DEU", "geschlecht": "w", "staatsangehoerigkeiten": ["DEU"], "anschriften": [{"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}], "familienstand": "LD", "angehoerige": [{"art": "gesetzlicherVertreter", "familienname": "Roth", "vornamen": ["Brigitte"], "geburtsdatum": "1939-03-10", "geschlecht": "w", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, "art_der_vertretung": "Eltern"}, {"art": "gesetzlicherVertreter", "familienname": "Meinecke", "vornamen": ["Siegfried"], "geburtsdatum": "1938-06-30", "geschlecht": "m", "anschrift": {"ags": "03460009", "postleitzahl": "49377", "wohnort": "Vechta", "strasse": "Goethestra\u00dfe", "hausnummer": "4", "wohnungsstatus": "0", "einzugsdatum": "2020-02-12"}, "art_der_vertretung": "Eltern"}]}', '2026-11-29 08:51:20.265271+00');


--
-- Data for Name: register_sperre; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_sperre VALUES (4, 0, '3', NULL, 'Stadt Osnabrück');
INSERT INTO @SCHEMA@.register_sperre VALUES (5, 0, '11', NULL, 'Landeskriminalamt Niedersachsen');


--
-- Data for Name: register_staatsangehoerigkeit; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (2, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (3, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (4, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (5, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (6, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (7, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (8, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (9, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (10, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (11, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (12, 'POL');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (12, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (14, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (15, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1000, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1001, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1002, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1003, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1004, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1005, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1006, 'DEU');
INSERT INTO @SCHEMA@.register_staatsangehoerigkeit VALUES (1007, 'DEU');


--
-- Data for Name: register_strasse; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'BOHLWEG', 'Bohlweg', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'WENDENSTRASSE', 'Wendenstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'PORSCHESTRASSE', 'Porschestraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'REINHAEUSERLANDSTRASSE', 'Reinhäuser Landstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'GROSSEDUEWELSTRASSE', 'Große Düwelstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'LISTERMEILE', 'Lister Meile', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'PODBIELSKISTRASSE', 'Podbielskistraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'ALMSSTRASSE', 'Almsstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'ZINGEL', 'Zingel', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'WITTINGERSTRASSE', 'Wittinger Straße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'ZOELLNERSTRASSE', 'Zöllnerstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'AMSANDE', 'Am Sande', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'HAARENSTRASSE', 'Haarenstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'HASESTRASSE', 'Hasestraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.289239+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'ALTEWIEKRING', 'Altewiekring', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'AMHOHENTORE', 'Am Hohen Tore', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'BUELTENWEG', 'Bültenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'CELLERSTRASSE', 'Celler Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'FRANKFURTERSTRASSE', 'Frankfurter Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'GOSLARSCHESTRASSE', 'Goslarsche Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'HAGENMARKT', 'Hagenmarkt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'HAMBURGERSTRASSE', 'Hamburger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'HELMSTEDTERSTRASSE', 'Helmstedter Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'HILDESHEIMERSTRASSE', 'Hildesheimer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'JASPERALLEE', 'Jasperallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'KOHLMARKT', 'Kohlmarkt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'KURTSCHUMACHERSTRASSE', 'Kurt-Schumacher-Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'MADAMENWEG', 'Madamenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'PETRITORWALL', 'Petritorwall', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'REBENRING', 'Rebenring', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'SACK', 'Sack', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03101000', 'WOLFENBUETTELERSTRASSE', 'Wolfenbütteler Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03102000', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'BERLINERRING', 'Berliner Ring', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'BRAUNSCHWEIGERSTRASSE', 'Braunschweiger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'HESSLINGERSTRASSE', 'Heßlinger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'KLEISTSTRASSE', 'Kleiststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'LAAGBERGSTRASSE', 'Laagbergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'REISLINGERSTRASSE', 'Reislinger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'ROTHENFELDERSTRASSE', 'Rothenfelder Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'SAARSTRASSE', 'Saarstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03103000', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03157006', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'BUERGERSTRASSE', 'Bürgerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'DUESTERESTRASSE', 'Düstere Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'GOETHEALLEE', 'Goetheallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'GOTMARSTRASSE', 'Gotmarstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'GRONERLANDSTRASSE', 'Groner Landstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'HANNOVERSCHESTRASSE', 'Hannoversche Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'HERZBERGERLANDSTRASSE', 'Herzberger Landstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'KASSELERLANDSTRASSE', 'Kasseler Landstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'KURZEGEISMARSTRASSE', 'Kurze Geismarstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'LANGEGEISMARSTRASSE', 'Lange Geismarstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'NIKOLAUSBERGERWEG', 'Nikolausberger Weg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'ROTESTRASSE', 'Rote Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'THEATERSTRASSE', 'Theaterstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'WEENDERSTRASSE', 'Weender Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03159016', 'WILHELMSPLATZ', 'Wilhelmsplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'AEGIDIENTORPLATZ', 'Aegidientorplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'AMKUECHENGARTEN', 'Am Küchengarten', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'AMLINDENHOFE', 'Am Lindenhofe', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'BADENSTEDTERSTRASSE', 'Badenstedter Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'BOEDEKERSTRASSE', 'Bödekerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'BOTHFELDERSTRASSE', 'Bothfelder Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'CELLERSTRASSE', 'Celler Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'DAVENSTEDTERSTRASSE', 'Davenstedter Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'EICHSTRASSE', 'Eichstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'ENGELBOSTELERDAMM', 'Engelbosteler Damm', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'FALKENSTRASSE', 'Falkenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'FERDINANDWALLBRECHTSTRASSE', 'Ferdinand-Wallbrecht-Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'FOESSESTRASSE', 'Fössestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'FRIEDRICHSWALL', 'Friedrichswall', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'GELLERTSTRASSE', 'Gellertstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'GEORGSTRASSE', 'Georgstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'GOETTINGERCHAUSSEE', 'Göttinger Chaussee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'HILDESHEIMERSTRASSE', 'Hildesheimer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'JAKOBISTRASSE', 'Jakobistraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'KLEEFELDERSTRASSE', 'Kleefelder Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'KOENIGSTRASSE', 'Königstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'KOENIGSWORTHERSTRASSE', 'Königsworther Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'KOLLENRODTSTRASSE', 'Kollenrodtstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'LANGELAUBE', 'Lange Laube', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'LIMMERSTRASSE', 'Limmerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'MARIENSTRASSE', 'Marienstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'MISBURGERSTRASSE', 'Misburger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'OELTZENSTRASSE', 'Oeltzenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'OSTERSTRASSE', 'Osterstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'RASCHPLATZ', 'Raschplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'RUNDESTRASSE', 'Rundestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'SALLSTRASSE', 'Sallstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'SCHIFFGRABEN', 'Schiffgraben', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'SPICHERNSTRASSE', 'Spichernstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'STOECKENERSTRASSE', 'Stöckener Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'SUTELSTRASSE', 'Sutelstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'VAHRENWALDERSTRASSE', 'Vahrenwalder Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'VOSSSTRASSE', 'Voßstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'WALDERSEESTRASSE', 'Walderseestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'WEDEKINDSTRASSE', 'Wedekindstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241001', 'WUNSTORFERSTRASSE', 'Wunstorfer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03241008', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'ANDREASPLATZ', 'Andreasplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'BAHNHOFSALLEE', 'Bahnhofsallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'GOSLARSCHESTRASSE', 'Goslarsche Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'HOHERWEG', 'Hoher Weg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'KAISERSTRASSE', 'Kaiserstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'MARIENBURGERSTRASSE', 'Marienburger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'OSTERSTRASSE', 'Osterstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'PEINERSTRASSE', 'Peiner Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'SCHUHSTRASSE', 'Schuhstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03254021', 'STEINGRUBE', 'Steingrube', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'FRITZENWIESE', 'Fritzenwiese', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'GROSSERPLAN', 'Großer Plan', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'HANNOVERSCHESTRASSE', 'Hannoversche Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'HEHLENTORSTRASSE', 'Hehlentorstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'LAUENSTEINPLATZ', 'Lauensteinplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'MAUERNSTRASSE', 'Mauernstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03351006', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'AMBERGE', 'Am Berge', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'BARDOWICKERSTRASSE', 'Bardowicker Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'DAHLENBURGERLANDSTRASSE', 'Dahlenburger Landstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'GROSSEBAECKERSTRASSE', 'Große Bäckerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'HEILIGENGEISTSTRASSE', 'Heiligengeiststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'LUENERWEG', 'Lüner Weg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'ROTESTRASSE', 'Rote Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'SOLTAUERSTRASSE', 'Soltauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'STRESEMANNSTRASSE', 'Stresemannstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03355022', 'UELZENERSTRASSE', 'Uelzener Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03361001', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03402000', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'ACHTERNSTRASSE', 'Achternstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'ALEXANDERSTRASSE', 'Alexanderstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'AMMERLAENDERHEERSTRASSE', 'Ammerländer Heerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'BLOHERFELDERSTRASSE', 'Bloherfelder Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'BREMERSTRASSE', 'Bremer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'CLOPPENBURGERSTRASSE', 'Cloppenburger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'DONNERSCHWEERSTRASSE', 'Donnerschweer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'FRIEDHOFSWEG', 'Friedhofsweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'GOTTORPSTRASSE', 'Gottorpstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'HUNDSMUEHLERSTRASSE', 'Hundsmühler Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'NADORSTERSTRASSE', 'Nadorster Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'OFENERSTRASSE', 'Ofener Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03403000', 'SCHLOSSPLATZ', 'Schlossplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'BRAMSCHERSTRASSE', 'Bramscher Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'BUERSCHESTRASSE', 'Buersche Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'HEGERSTRASSE', 'Heger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'IBURGERSTRASSE', 'Iburger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'JOHANNISSTRASSE', 'Johannisstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'KNOLLSTRASSE', 'Knollstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'KRAHNSTRASSE', 'Krahnstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'LOTTERSTRASSE', 'Lotter Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'MARTINISTRASSE', 'Martinistraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'MELLERSTRASSE', 'Meller Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'NATRUPERSTRASSE', 'Natruper Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'NEUERGRABEN', 'Neuer Graben', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'RHEINERLANDSTRASSE', 'Rheiner Landstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03404000', 'SUTTHAUSERSTRASSE', 'Sutthauser Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BEETHOVENSTRASSE', 'Beethovenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'GOETHESTRASSE', 'Goethestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03451007', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AHORNWEG', 'Ahornweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AMBAHNHOF', 'Am Bahnhof', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AMMARKT', 'Am Markt', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AMMUEHLENBACH', 'Am Mühlenbach', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AMSELWEG', 'Amselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'AMSPORTPLATZ', 'Am Sportplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BAHNHOFSTRASSE', 'Bahnhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BERGSTRASSE', 'Bergstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BIRKENWEG', 'Birkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BRESLAUERSTRASSE', 'Breslauer Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'BUCHENWEG', 'Buchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'DANZIGERSTRASSE', 'Danziger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'DORFSTRASSE', 'Dorfstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'DROSSELWEG', 'Drosselweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'EICHENWEG', 'Eichenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'FELDSTRASSE', 'Feldstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'FINKENWEG', 'Finkenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'FRIEDHOFSTRASSE', 'Friedhofstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'GARTENSTRASSE', 'Gartenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'GROSSESTRASSE', 'Große Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'HAUPTSTRASSE', 'Hauptstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'HEIDEWEG', 'Heideweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'INDUSTRIESTRASSE', 'Industriestraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'KASTANIENALLEE', 'Kastanienallee', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'KIEFERNWEG', 'Kiefernweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'KIRCHSTRASSE', 'Kirchstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'KOENIGSBERGERSTRASSE', 'Königsberger Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'LANGESTRASSE', 'Lange Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'LERCHENWEG', 'Lerchenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'LESSINGSTRASSE', 'Lessingstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'LINDENSTRASSE', 'Lindenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'MARKTPLATZ', 'Marktplatz', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'MEISENWEG', 'Meisenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'MOORWEG', 'Moorweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'MUEHLENSTRASSE', 'Mühlenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'MUEHLENWEG', 'Mühlenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'NEUESTRASSE', 'Neue Straße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'POSTSTRASSE', 'Poststraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'RINGSTRASSE', 'Ringstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'ROSENSTRASSE', 'Rosenstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'SCHILLERSTRASSE', 'Schillerstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'SCHULSTRASSE', 'Schulstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'TANNENWEG', 'Tannenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'TULPENWEG', 'Tulpenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'UHLANDSTRASSE', 'Uhlandstraße', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'WALDWEG', 'Waldweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'WIESENWEG', 'Wiesenweg', '2026-11-29 08:51:20.297947+00');
INSERT INTO @SCHEMA@.register_strasse VALUES ('03460009', 'WILHELMSTRASSE', 'Wilhelmstraße', '2026-11-29 08:51:20.297947+00');


--
-- Data for Name: register_vorname; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.register_vorname VALUES (1, 'ERIKA', '074', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (2, 'KLAUS', '458', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (2, 'DIETER', '227', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (3, 'KLAUS', '458', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (4, 'PETRA', '127', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (5, 'HARTMUT', '07262', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (6, 'HILDEGARD', '052472', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (6, 'ANNA', '06', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (7, 'GOTTFRIED', '42372', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (8, 'LENA', '56', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (9, 'MORITZ', '678', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (10, 'ANNA', '06', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (10, 'LUISE', '58', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (11, 'JUERGEN', '0746', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (11, 'BJOERN', '176', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (12, 'BOGDAN', '1426', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (13, 'ERICH', '074', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (14, 'RUEDIGER', '7247', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (15, 'GERTRUD', '47272', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (15, 'SCHWESTER', '83827', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (15, 'BENEDIKTA', '16242', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1000, 'JACQUELINE', '0456', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1001, 'HANNAH', '06', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1001, 'ANNA', '06', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1002, 'MICHAEL', '645', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1002, 'NIKLAS', '6458', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1003, 'BRIGITTE', '1742', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1004, 'SIEGFRIED', '84372', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1005, 'LUKAS', '548', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1006, 'LINUS', '568', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1006, 'PHILIPP', '351', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1007, 'FINJA', '36', false);
INSERT INTO @SCHEMA@.register_vorname VALUES (1007, 'ELLA', '05', false);


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: @SCHEMA@; Owner: -
--

INSERT INTO @SCHEMA@.schema_version VALUES ('register', 4, '2026-11-29 08:51:20.259011+00');


--
-- Name: register_import_log_id_seq; Type: SEQUENCE SET; Schema: @SCHEMA@; Owner: -
--

SELECT pg_catalog.setval('@SCHEMA@.register_import_log_id_seq', 69, true);


--
-- Name: register_anschrift register_anschrift_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_anschrift
    ADD CONSTRAINT register_anschrift_pkey PRIMARY KEY (person_id, lfd_nr);


--
-- Name: register_geburtsdatum register_geburtsdatum_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_geburtsdatum
    ADD CONSTRAINT register_geburtsdatum_pkey PRIMARY KEY (person_id, datum);


--
-- Name: register_import_log register_import_log_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_import_log
    ADD CONSTRAINT register_import_log_pkey PRIMARY KEY (id);


--
-- Name: register_name register_name_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_name
    ADD CONSTRAINT register_name_pkey PRIMARY KEY (person_id, kind, value);


--
-- Name: register_person register_person_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_person
    ADD CONSTRAINT register_person_pkey PRIMARY KEY (id);


--
-- Name: register_sperre register_sperre_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_sperre
    ADD CONSTRAINT register_sperre_pkey PRIMARY KEY (person_id, lfd_nr);


--
-- Name: register_staatsangehoerigkeit register_staatsangehoerigkeit_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_staatsangehoerigkeit
    ADD CONSTRAINT register_staatsangehoerigkeit_pkey PRIMARY KEY (person_id, staat);


--
-- Name: register_strasse register_strasse_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_strasse
    ADD CONSTRAINT register_strasse_pkey PRIMARY KEY (ags, strasse);


--
-- Name: register_vorname register_vorname_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_vorname
    ADD CONSTRAINT register_vorname_pkey PRIMARY KEY (person_id, value);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (component);


--
-- Name: ix_register_anschrift_ags_strasse; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_anschrift_ags_strasse ON @SCHEMA@.register_anschrift USING btree (ags, strasse);


--
-- Name: ix_register_anschrift_wohnort; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_anschrift_wohnort ON @SCHEMA@.register_anschrift USING btree (wohnort, ags);


--
-- Name: ix_register_geburtsdatum_beginn; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_geburtsdatum_beginn ON @SCHEMA@.register_geburtsdatum USING btree (beginn);


--
-- Name: ix_register_import_log_ags_time; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_import_log_ags_time ON @SCHEMA@.register_import_log USING btree (ags, received_at);


--
-- Name: ix_register_name_phon_ags; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_name_phon_ags ON @SCHEMA@.register_name USING btree (phon, ags);


--
-- Name: ix_register_name_value_ags; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_name_value_ags ON @SCHEMA@.register_name USING btree (value, ags);


--
-- Name: ix_register_person_ags; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_person_ags ON @SCHEMA@.register_person USING btree (ags);


--
-- Name: ix_register_sperre_code; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_sperre_code ON @SCHEMA@.register_sperre USING btree (code);


--
-- Name: ix_register_staatsangehoerigkeit_staat; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_staatsangehoerigkeit_staat ON @SCHEMA@.register_staatsangehoerigkeit USING btree (staat);


--
-- Name: ix_register_vorname_phon; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_vorname_phon ON @SCHEMA@.register_vorname USING btree (phon);


--
-- Name: ix_register_vorname_value; Type: INDEX; Schema: @SCHEMA@; Owner: -
--

CREATE INDEX ix_register_vorname_value ON @SCHEMA@.register_vorname USING btree (value);


--
-- Name: register_anschrift register_anschrift_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_anschrift
    ADD CONSTRAINT register_anschrift_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- Name: register_geburtsdatum register_geburtsdatum_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_geburtsdatum
    ADD CONSTRAINT register_geburtsdatum_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- Name: register_name register_name_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_name
    ADD CONSTRAINT register_name_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- Name: register_sperre register_sperre_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_sperre
    ADD CONSTRAINT register_sperre_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- Name: register_staatsangehoerigkeit register_staatsangehoerigkeit_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_staatsangehoerigkeit
    ADD CONSTRAINT register_staatsangehoerigkeit_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- Name: register_vorname register_vorname_person_id_fkey; Type: FK CONSTRAINT; Schema: @SCHEMA@; Owner: -
--

ALTER TABLE ONLY @SCHEMA@.register_vorname
    ADD CONSTRAINT register_vorname_person_id_fkey FOREIGN KEY (person_id) REFERENCES @SCHEMA@.register_person(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


