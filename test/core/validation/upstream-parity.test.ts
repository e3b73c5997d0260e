/**
 * Oracle parity: for every reference example and every validation fixture, Katalog's verdict (conforms or
 * not: no sh:Violation) agrees with rdf-validate-shacl running the official upstream shapes of the same
 * profile (test/helpers/upstream.ts, UPSTREAM_SHAPES, copied into test/fixtures/upstream), except for the cases
 * in KNOWN_DIFFERENCES, each with the upstream bug or deliberate difference that explains it.
 *
 * A case is (profile, file): every parseable example under test/fixtures/examples with every profile, and
 * every test/fixtures/validation/<profile>/*.ttl with its own profile. Our verdict is validateDocument's
 * (each record of the document against the profile). A case whose document holds no record the profile
 * covers (validateDocument throws invalid-request) is not comparable and is skipped. The upstream verdict
 * is the oracle's over the whole document plus the vocabularies' skos:inScheme triples, as in the PROFILE.md
 * agreement tables.
 *
 * Each KNOWN_DIFFERENCES entry states both verdicts, so the table stays true: when an upstream bug is fixed
 * or one of our shapes changes, the entry's test fails and the entry must be updated or removed. An entry
 * names one main cause: the cause behind most of the Violations that only one side reports, ties going to
 * the cause listed first in CAUSES. The others, if any, are in the comment above the entry.
 */
import type { Quad } from '@rdfjs/types';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../../src/catalog/validator.js';
import { KatalogError } from '../../../src/core/errors.js';
import { parseRdf } from '../../../src/core/parse.js';
import { parseableExamples } from '../../helpers/fixtures.js';
import { UPSTREAM_SHAPES, upstreamShapes } from '../../helpers/upstream.js';
import { membershipTriples, oracle, readGraph, resources, validationFixtures } from '../../helpers/validation.js';

// ---------------------------------------------------------------------------------------------------------
// Causes
// ---------------------------------------------------------------------------------------------------------

interface Cause {
  name: string;
  why: string;
}

/** Upstream `sh:class` on controlled-vocabulary values. The main cause of most differences. */
const CLASS_ON_VOCABULARY_VALUES: Cause = {
  name: 'class-on-vocabulary-values',
  why: `Upstream requires vocabulary values to be typed. DCAT-AP 3.0.1 shacl/dcat-ap-SHACL.ttl puts sh:class
    dct:LicenseDocument (dct:license), dct:Frequency (dct:accrualPeriodicity), dct:LinguisticSystem (dct:language),
    dct:Location (dct:spatial), dct:MediaTypeOrExtent (dct:format), dct:MediaType (dcat:mediaType),
    dct:RightsStatement (dct:accessRights), skos:ConceptScheme (dcat:themeTaxonomy) and skos:Concept (dcat:theme,
    dct:type, adms:status, dcatap:availability, the agent's dct:type) on them. It has no sh:severity, so each is a
    Violation. CPSV-AP 3.2.0 shacl/cpsv-ap-SHACL.ttl does the same, also without severities: skos:Concept on dct:type,
    cv:sector, cv:thematicArea, cv:currency, cv:role, cv:evidenceTypeClassification and cv:frequency;
    dct:LinguisticSystem on dct:language; dct:Location on dct:spatial. DCAT-AP-NO 3 dcatapno3-vocabulary-shapes.ttl
    has sh:class skos:Concept (Violation) in every :hasShapeCVInScheme-* shape and in
    :hasPublisherTypeShapeCVInScheme-dctType. :DataServiceShape-theme's sh:or fails through the same check.
    CPSV-AP-NO :hasMin1MaxNShape-dctSpatial has sh:class dct:Location (Violation). A record's graph does not type
    the concepts it points to. The EU authority tables type their concepts only as skos:Concept and never with the
    DCMI classes (test/fixtures/upstream/PROVENANCE.md, "Vocabulary checks"). Katalog's vocabulary index, like the
    oracle's data graph here, holds only skos:inScheme. So these checks fail on every correct value. Katalog
    checks membership (sh:node kv:...) instead: dcat-ap PROFILE.md "Other decisions" 1, cpsv-ap difference 3,
    cpsv-ap-no differences 10 and 12, dcat-ap-no-3 "Not followed" 1.`,
};

/** Upstream `sh:class` on links to other records. */
const CLASS_ON_LINKED_RECORDS: Cause = {
  name: 'class-on-linked-records',
  why: `Upstream requires that a linked record be typed in the same graph. DCAT-AP 3.0.1 dcat-ap-SHACL.ttl uses
    dct:publisher and dct:creator → foaf:Agent, dcat:dataset and dcat:servesDataset → dcat:Dataset, dcat:service
    → dcat:DataService, and a catalogue record's foaf:primaryTopic → dcat:Resource (which a dcat:Dataset is only with
    RDFS inference over the DCAT ontology). DCAT-AP-NO 2.2 DCAT-AP-NO-shacl_shapes_2.00.ttl uses :Catalog_Shape dcat:dataset (sh:or
    dcat:Dataset / dcat:DatasetSeries) and dcat:service, :DataService_Shape dcat:servesDataset, and
    :DatasetSerie_Shape dcat:first / dcat:last → dcat:Dataset. CPSV-AP 3.2.0 uses cv:hasCompetentAuthority →
    cv:PublicOrganisation, cv:isGroupedBy → cv:Event and cv:hasParticipant → foaf:Agent. CPSV-AP-NO uses
    :hasMin1MaxNShape-cvHasCompetentAuthority, and the sh:or of classes in :hasMin1MaxNShape-cvOwnedBy,
    :hasMin0MaxNShape-cpsvnoMayTrigger, :hasMin0MaxNShape-dctRelatedService and :hasMin0MaxNShape-xkosCauses.
    Katalog validates each record alone, so the linked record (an organisation, event, service, dataset or data
    service, or the resource a catalogue record describes) is not in the graph. Ours check sh:nodeKind sh:IRI (shapes/CONVENTIONS.md "Cross-record links";
    "Cross-record sh:class" in the dcat PROFILE.md files; cpsv-ap difference 2; cpsv-ap-no difference 8).`,
};

/** Upstream `sh:class` on web pages and laws. Never the main cause here, only a secondary one. */
const CLASS_ON_PAGES_AND_LAWS: Cause = {
  name: 'class-on-pages-and-laws',
  why: `Upstream uses sh:class foaf:Document on web pages: dcat:landingPage, foaf:homepage, foaf:page and
    cv:contactPage (DCAT-AP 3.0.1 dcat-ap-SHACL.ttl, CPSV-AP 3.2.0 cpsv-ap-SHACL.ttl). It uses sh:class
    eli:LegalResource on laws: cv:hasLegalResource and cpsv:implements (CPSV-AP 3.2.0, and CPSV-AP-NO
    :hasMin0MaxNShape-cvHasLegalResource and :hasMin0MaxNShape-cpsvImplements, Violation). Pages and laws are
    external resources, named by IRI and shared by many records, and no record types them. Ours check the node
    kind (dcat-ap "Other decisions" 1, cpsv-ap differences 3 and 4).`,
};

/** Upstream validates classes that belong to no record of the profile. */
const CLASSES_OUTSIDE_THE_PROFILE: Cause = {
  name: 'classes-outside-the-profile',
  why: `The upstream file also validates classes that no record of this profile contains. DCAT-AP-NO 2.2
    DCAT-AP-NO-shacl_shapes_2.00.ttl carries the BRegDCAT-AP classes: :PublicRegistryService_Shape (cpsv:PublicService),
    :PublicOrganization_Shape (cv:PublicOrganisation, e.g. dct:title sh:maxCount 1) and :Legal_Resource_ShapeCV
    (eli:LegalResource dct:type from the EU resource-type table, while CPSV-AP-NO uses the Norwegian
    legal-resource-type list). In Katalog, public services and events are records of their own kinds, validated
    with the CPSV profiles (dcat-ap-no PROFILE.md "Other decisions" 9). A DCAT profile applied to a file that also
    holds services validates only its DCAT records.`,
};

/** Katalog's copy of an organisation names it with foaf:name; the CPSV shapes want dct:title. */
const AGENT_NAME_IS_FOAF_NAME: Cause = {
  name: 'agent-name-is-foaf-name',
  why: `CPSV-AP 3.2.0 cpsv-ap-SHACL.ttl #AgentShape (Agent.name = dct:title, sh:minCount 1) and CPSV-AP-NO
    :AgentShape → :hasMin1MaxNShape-dctTitle (Violation) require dct:title on every foaf:Agent. The foaf:Agent copy
    of the competent authority or owner that Katalog puts into a service record names it with foaf:name.
    docs/design.md (How Felles datakatalog reads us) asks for a foaf:Agent node with dct:identifier and foaf:name,
    and FDK reads foaf:name. Our CPSV profiles therefore require foaf:name. cpsv-ap-no difference 13 says the CPSV-AP-NO 1.1 text contradicts
    itself (heading foaf:name, URI row dct:title). cpsv-ap difference 5 is a deliberate deviation from CPSV-AP
    3.2.0, which says dct:title.`,
};

/** Untagged free text: upstream Violation, ours Warning. */
const UNTAGGED_TEXT_IS_A_WARNING: Cause = {
  name: 'untagged-text-is-a-warning',
  why: `Upstream refuses free text without a language tag: sh:datatype rdf:langString as a Violation in CPSV-AP
    3.2.0 cpsv-ap-SHACL.ttl (no severity), in CPSV-AP-NO :hasMin1MaxNShape-dctTitle, and in DCAT-AP-NO 3
    dcatapno3-core-shapes.ttl :hasDatatypeShape-dctTitle and :hasDatatypeShape-dcatKeyword. docs/design.md (How
    Felles datakatalog reads us) says to accept untagged text and warn, so ours give a Warning (cpsv-ap-no
    difference 14, dcat-ap-no-3 "Other decisions" 1).`,
};

/** DCAT-AP-NO 3 draft media-type pattern that only admits application/*. Secondary only. */
const MEDIA_TYPE_PATTERN_APPLICATION_ONLY: Cause = {
  name: 'media-type-pattern-application-only',
  why: `DCAT-AP-NO 3 dcatapno3-range-shapes.ttl :hasShapeCVPattern-mediaType (Violation) uses the pattern
    ^https://www.iana.org/assignments/media-types/application/*, which refuses every media type outside
    application/ (text/csv, image/png, ...). This is an upstream bug (dcat-ap-no-3 PROFILE.md bug 3). Ours check
    Katalog's IANA list, as a Warning.`,
};

/** DCAT-AP-NO 2.2 licence vocabulary: upstream Violation, spec "bør" → ours Warning. */
const LICENCE_VOCABULARY_IS_RECOMMENDED: Cause = {
  name: 'licence-vocabulary-is-recommended',
  why: `DCAT-AP-NO 2.2 :Distribution_ShapeCV checks dct:license with sh:node :LicenseTypeRestriction (EU licence
    table) as a Violation. The specification only says the licence should ("bør") come from that table, so ours
    give a Warning (dcat-ap-no PROFILE.md "Other decisions" 5).`,
};

/** DCAT-AP-NO 2.2 distribution status: ours also accept the EU table. */
const EU_DISTRIBUTION_STATUS_ACCEPTED: Cause = {
  name: 'eu-distribution-status-accepted',
  why: `DCAT-AP-NO 2.2 :Distribution_ShapeCV checks adms:status with sh:node :StatusRestriction, which allows only
    the ADMS status list <http://purl.org/adms/status/1.0> (Violation). Ours also accept the EU distribution-status
    table of DCAT-AP 3 and DCAT-AP-NO 3, so that a record moving to version 3 is not refused (dcat-ap-no PROFILE.md
    "Other decisions" 6). This is a deliberate leniency beyond the 2.2 text.`,
};

/** DCAT-AP-NO 2.2 theme: at least one EU data theme, upstream Warning, ours Violation (spec: Obligatorisk). */
const DCATAPNO2_DATA_THEME_IS_MANDATORY: Cause = {
  name: 'dcat-ap-no-2-data-theme-is-mandatory',
  why: `DCAT-AP-NO 2.2 DCAT-AP-NO-shacl_shapes_2.00.ttl :Dataset_ShapeCV checks dcat:theme with sh:qualifiedValueShape
    [ sh:node :DataThemeRestriction ] and sh:qualifiedMinCount 1 as a Warning, although its own message says "dcat:theme
    skal ha minst én verdi hentet fra ... data-theme". The specification lists Data theme (with EuroVoc) under
    "Kontrollerte vokabularer som skal brukes" for dcat:theme with Kravsnivå Obligatorisk, and DCAT-AP, which it
    extends, makes the Data Theme vocabulary mandatory. Ours use the same qualified count as a Violation, and accept
    EuroVoc and Los beside it (dcat-ap-no PROFILE.md "Theme"). A dataset whose themes are all Los or EuroVoc conforms
    upstream (with a Warning) and not here.`,
};

/** DCAT-AP-NO 2.2 spatial coverage: a vocabulary the specification makes mandatory, upstream Warning (ours false, upstream true). */
const DCATAPNO2_SPATIAL_VOCABULARY_IS_MANDATORY: Cause = {
  name: 'dcat-ap-no-2-spatial-vocabulary-is-mandatory',
  why: `DCAT-AP-NO 2.2 lists Continent, Country, Place and GeoNames under "Kontrollerte vokabularer som skal brukes" for
    dct:spatial, Kravsnivå Obligatorisk (Kartverket's administrative units "bør brukes i tillegg"). Upstream's
    :Dataset_ShapeCV checks dct:spatial with the malformed :SpatialRestriction (bug 6: an sh:or holding the IRI sh:or
    and two lists) as a Warning, so a value from none of them is accepted. Ours: every value from the EU tables,
    GeoNames or the administrative units, as a Violation (dcat-ap-no PROFILE.md "Other decisions" 5).`,
};

/** CPSV-AP-NO cost value: xsd:double only upstream. Secondary only. */
const COST_VALUE_DECIMAL_ACCEPTED: Cause = {
  name: 'cost-value-decimal-accepted',
  why: `CPSV-AP-NO :hasMin0Max1Shape-cvHasValue requires sh:datatype xsd:double (Violation). The 1.1 text's own
    example uses "0.49"^^xsd:decimal, and a plain Turtle number is a decimal or an integer. Ours accept
    xsd:double, xsd:decimal or xsd:integer (cpsv-ap-no difference 15).`,
};

/** DCAT-AP-NO 2.2 never validates foaf:Agent (ours false, upstream true). */
const DCATAPNO2_AGENT_SHAPE_HAS_NO_TARGET: Cause = {
  name: 'dcat-ap-no-2-agent-shape-has-no-target',
  why: `In DCAT-AP-NO 2.2 DCAT-AP-NO-shacl_shapes_2.00.ttl, :Agent_Shape (foaf:name sh:minCount 1) has its
    sh:targetClass foaf:Agent commented out. Its targets are written as a malformed sh:and ( sh:or (...) sh:or (...) )
    built on the typos sh:targetSubjectOf / sh:targetSUbjectOf; the SHACL term is sh:targetSubjectsOf
    (PROVENANCE.md). So no agent is ever validated upstream. The specification makes the agent's name mandatory.
    Ours target foaf:Agent (dcat-ap-no PROFILE.md bug 3) and reject an agent without foaf:name.`,
};

/** DCAT-AP-NO 2.2 never checks dcatap:availability: its dcatap: prefix lacks the trailing `/` (ours false, upstream true). */
const DCATAPNO2_AVAILABILITY_PATH_TYPO: Cause = {
  name: 'dcat-ap-no-2-availability-path-typo',
  why: `DCAT-AP-NO 2.2 DCAT-AP-NO-shacl_shapes_2.00.ttl declares @prefix dcatap: <http://data.europa.eu/r5r> without
    the trailing /, so the availability check of :Distribution_ShapeCV (sh:path dcatap:availability, sh:node
    :AvailabilityRestriction, Violation) has the path <http://data.europa.eu/r5ravailability> and never matches
    (PROVENANCE.md). Upstream never checks a distribution's planned availability. Ours use
    <http://data.europa.eu/r5r/availability> and kv:PlannedAvailability (dcat-ap-no PROFILE.md bugs 1 and 2), so a
    value outside the EU planned-availability table is a Violation. Checked by fixing the prefix in a copy of the
    upstream file: upstream then refuses the value too (and, through bug 2, every value of the EU table as well).`,
};

/** DCAT-AP-NO 2.2 :StatusRestriction has no sh:minCount: a status in no scheme passes (ours false, upstream true). */
const DCATAPNO2_STATUS_RESTRICTION_WITHOUT_MIN_COUNT: Cause = {
  name: 'dcat-ap-no-2-status-restriction-without-min-count',
  why: `DCAT-AP-NO 2.2 DCAT-AP-NO-shacl_shapes_2.00.ttl :Distribution_ShapeCV checks adms:status with sh:node
    :StatusRestriction (Violation). Unlike :AccessRightsRestriction, :FrequencyRestriction, :LicenseTypeRestriction
    and the others, :StatusRestriction's property shape on skos:inScheme has sh:nodeKind sh:IRI and sh:or
    (sh:hasValue <http://purl.org/adms/status/1.0> / its https form) but no sh:minCount. A status IRI that belongs to
    no concept scheme has no skos:inScheme value, so both constraints hold vacuously and upstream accepts it; only a
    concept of another scheme (the EU distribution-status table, EU_DISTRIBUTION_STATUS_ACCEPTED) fails. Ours require
    membership of the ADMS status list or the EU distribution-status table (dcat-ap-no PROFILE.md bug 8). Checked by
    adding sh:minCount 1 to :StatusRestriction in a copy of the upstream file: upstream then refuses the value too.`,
};

/** CPSV-AP 3.2.0 EventShape reaches cv:LifeEvent / cv:BusinessEvent only with RDFS inference. */
const EVENT_SHAPE_TARGETS_SUPERCLASS_ONLY: Cause = {
  name: 'event-shape-targets-superclass-only',
  why: `CPSV-AP 3.2.0 cpsv-ap-SHACL.ttl #EventShape (dct:identifier 1..1, dct:title sh:minCount 1) has
    sh:targetClass cv:Event only. #LifeEventShape and #BusinessEventShape check only dct:type. In SHACL, a
    cv:LifeEvent is a target of sh:targetClass cv:Event only if the data graph holds cv:LifeEvent rdfs:subClassOf
    cv:Event. A record's graph does not carry the CPSV-AP ontology; FDK's validator gets this with RDFS inference
    (docs/design.md, How Felles datakatalog reads us). So upstream never checks a life or business event's title.
    Ours target cv:Event, cv:LifeEvent and cv:BusinessEvent.`,
};

/** CPSV-AP-NO path typo cpsvno:cpsvno:mayTriggerNeedFor (ours false, upstream true). */
const MAY_TRIGGER_NEED_FOR_PATH_TYPO: Cause = {
  name: 'may-trigger-need-for-path-typo',
  why: `CPSV-AP-NO :hasMin0MaxNShape-cpsvnoMayTriggerNeedFor has sh:path cpsvno:cpsvno:mayTriggerNeedFor, which
    expands to ...cpsvno#cpsvno:mayTriggerNeedFor and never matches anything, so upstream never checks the
    property. Ours check cpsvno:mayTriggerNeedFor and require an IRI, so a service named by a literal is a
    Violation (cpsv-ap-no PROFILE.md differences 3 and 19).`,
};

/** Every cause, in tie-break order for picking an entry's main cause. */
const CAUSES: Cause[] = [
  DCATAPNO2_AGENT_SHAPE_HAS_NO_TARGET,
  DCATAPNO2_AVAILABILITY_PATH_TYPO,
  DCATAPNO2_STATUS_RESTRICTION_WITHOUT_MIN_COUNT,
  EVENT_SHAPE_TARGETS_SUPERCLASS_ONLY,
  MAY_TRIGGER_NEED_FOR_PATH_TYPO,
  MEDIA_TYPE_PATTERN_APPLICATION_ONLY,
  UNTAGGED_TEXT_IS_A_WARNING,
  LICENCE_VOCABULARY_IS_RECOMMENDED,
  EU_DISTRIBUTION_STATUS_ACCEPTED,
  DCATAPNO2_DATA_THEME_IS_MANDATORY,
  DCATAPNO2_SPATIAL_VOCABULARY_IS_MANDATORY,
  COST_VALUE_DECIMAL_ACCEPTED,
  CLASS_ON_VOCABULARY_VALUES,
  CLASS_ON_LINKED_RECORDS,
  CLASS_ON_PAGES_AND_LAWS,
  AGENT_NAME_IS_FOAF_NAME,
  CLASSES_OUTSIDE_THE_PROFILE,
];

// ---------------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------------

interface KnownDifference {
  profile: string;
  /** Path under test/fixtures/. */
  file: string;
  ours: boolean;
  upstream: boolean;
  cause: Cause;
}

// Comments: what only one side reports (upstream's extra Violations unless said otherwise), then "also" and the
// other causes, with their counts.
const KNOWN_DIFFERENCES: KnownDifference[] = [
  // ---- reference examples ----
  // 6 class checks: channel type, evidence type classification, requirement type, opening-hours frequency x2
  // (skos:Concept), public organisation's spatial (dct:Location).
  { profile: 'cpsv-ap', file: 'examples/cpsv-ap-3.2.0-example-rdf-public-service.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 10, all on the public services (4), public organisations (3: dct:title nb + en) and legal resources (3) that
  // exAlleKlasser also holds. Its two catalogues, its only DCAT records, conform under both.
  { profile: 'dcat-ap-no', file: 'examples/cpsv-ap-no-1.1-exAlleKlasser.ttl', ours: true, upstream: false, cause: CLASSES_OUTSIDE_THE_PROFILE },
  // 8 class checks on the catalogue (spatial, 3 languages, 2 theme taxonomies, licence) and the agent's type;
  // also CLASS_ON_LINKED_RECORDS (1: publisher), CLASS_ON_PAGES_AND_LAWS (1: homepage).
  { profile: 'dcat-ap', file: 'examples/cpsv-ap-no-1.1-exAlleKlasser.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 1: dct:publisher → foaf:Agent; the agency is not described in the example.
  { profile: 'dcat-ap', file: 'examples/dcat-ap-3.0.1-example-bee-population.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // Ours (2, one per record): the agent <.../organizations/991825827> is typed foaf:Agent without foaf:name.
  {
    profile: 'dcat-ap-no',
    file: 'examples/dcat-ap-no-2.2-DCAT-AP-NO2.0-examples.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_AGENT_SHAPE_HAS_NO_TARGET,
  },
  // 2: the embedded public service's cv:hasCompetentAuthority and cv:isGroupedBy (the event). The events conform.
  { profile: 'cpsv-ap', file: 'examples/fdk-rdf-parser-event0.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 3: two dcat:CatalogRecord foaf:primaryTopic → dcat:Resource and the catalogue's publisher → foaf:Agent. Also
  // CLASS_ON_VOCABULARY_VALUES (1: language) and CLASS_ON_PAGES_AND_LAWS (1: foaf:page).
  { profile: 'dcat-ap', file: 'examples/fdk-rdf-parser-public-service0.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 3: publisher (catalogue, dataset) and creator → foaf:Agent; also CLASS_ON_VOCABULARY_VALUES (2: themes).
  { profile: 'dcat-ap', file: 'examples/fdk-validator-valid-catalog.json', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // The same file as RDF/XML, with the same results.
  { profile: 'dcat-ap', file: 'examples/fdk-validator-valid-catalog.xml', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },

  // ---- cpsv-ap fixtures ----
  // 1: the channel's dct:type (skos:Concept), whatever its value. Also CLASS_ON_LINKED_RECORDS (1: competent
  // authority) and AGENT_NAME_IS_FOAF_NAME (1).
  {
    profile: 'cpsv-ap',
    file: 'validation/cpsv-ap/invalid-channel-type-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  // 1: cv:currency "EUR" (a literal; upstream's skos:Concept fails on an EU currency IRI too; ours: Warning).
  // Also CLASS_ON_LINKED_RECORDS (1) and AGENT_NAME_IS_FOAF_NAME (1).
  {
    profile: 'cpsv-ap',
    file: 'validation/cpsv-ap/invalid-cost-currency-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  // Ours (1): the cv:LifeEvent has no dct:title.
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/invalid-event-without-title.ttl', ours: false, upstream: true, cause: EVENT_SHAPE_TARGETS_SUPERCLASS_ONLY },
  // 1: dct:language → dct:LinguisticSystem. Also CLASS_ON_LINKED_RECORDS (1) and AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/invalid-language-outside-vocabulary.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 1: the owner's foaf:Agent copy has foaf:name and no dct:title (the cpsvno:Service itself is not a CPSV-AP class).
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/invalid-non-public-service.ttl', ours: true, upstream: false, cause: AGENT_NAME_IS_FOAF_NAME },
  // 1: untagged dct:title. Also CLASS_ON_LINKED_RECORDS (1) and AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/invalid-title-without-language-tag.ttl', ours: true, upstream: false, cause: UNTAGGED_TEXT_IS_A_WARNING },
  // 12: type, sector, thematic area, spatial, 5 languages, channel type, currency, role. Also CLASS_ON_PAGES_AND_LAWS
  // (4: contact page, evidence page, legal resource, implements), CLASS_ON_LINKED_RECORDS (3: competent authority,
  // isGroupedBy, hasParticipant) and AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/valid-full-public-service.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 1: cv:hasCompetentAuthority → cv:PublicOrganisation. Also AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap', file: 'validation/cpsv-ap/valid-minimal-public-service.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },

  // ---- cpsv-ap-no fixtures ----
  // Each of the next six: 1 cv:hasCompetentAuthority → cv:PublicOrganisation; also AGENT_NAME_IS_FOAF_NAME (1).
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-channel-type-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-cost-without-value-or-description.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-evidence-type-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-legal-resource-type-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-participation-role-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  { profile: 'cpsv-ap-no', file: 'validation/cpsv-ap-no/invalid-thematic-area-outside-los.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // Ours (1): cpsvno:mayTriggerNeedFor "Foreldrepenger"@nb, a literal.
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-event-service-link-not-iri.ttl',
    ours: false,
    upstream: true,
    cause: MAY_TRIGGER_NEED_FOR_PATH_TYPO,
  },
  // 1: untagged dct:title. Also CLASS_ON_LINKED_RECORDS (1) and AGENT_NAME_IS_FOAF_NAME (1).
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/invalid-title-without-language-tag.ttl',
    ours: true,
    upstream: false,
    cause: UNTAGGED_TEXT_IS_A_WARNING,
  },
  // 1: cpsvno:mayTrigger (sh:or cpsvno:Service / cpsv:PublicService).
  { profile: 'cpsv-ap-no', file: 'validation/cpsv-ap-no/valid-event.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 2: cv:relatedService and xkos:causes (sh:or of classes). Also CLASS_ON_PAGES_AND_LAWS (2: hasLegalResource,
  // implements), CLASS_ON_VOCABULARY_VALUES (1: the organisation's spatial), AGENT_NAME_IS_FOAF_NAME (1) and
  // COST_VALUE_DECIMAL_ACCEPTED (1: cv:hasValue 0.51).
  { profile: 'cpsv-ap-no', file: 'validation/cpsv-ap-no/valid-full-public-service.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // The full public service's, without its contact point's e-mail, contact page and telephone.
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/warning-contact-point-without-email-page-or-telephone.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  // 1: cv:hasCompetentAuthority. Also AGENT_NAME_IS_FOAF_NAME (1).
  {
    profile: 'cpsv-ap-no',
    file: 'validation/cpsv-ap-no/warning-legal-resource-without-description-reference-or-title.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_LINKED_RECORDS,
  },
  // 1: cv:hasCompetentAuthority. Also AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap-no', file: 'validation/cpsv-ap-no/valid-minimal-public-service.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 1: cv:ownedBy (sh:or cv:PublicOrganisation / org:Organization). Also AGENT_NAME_IS_FOAF_NAME (1).
  { profile: 'cpsv-ap-no', file: 'validation/cpsv-ap-no/valid-minimal-service.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },

  // ---- dcat-ap fixtures ----
  // The next seven each hold the full dataset: 14 class checks on the vocabulary values of the dataset
  // (spatial, frequency, 2 languages, type, 2 themes, access rights), the distribution (media type, status, format,
  // availability, licence) and the agent's type. Also CLASS_ON_PAGES_AND_LAWS (1: landing page). The file name
  // says which of our Warnings it shows; warning-theme-without-data-theme has one theme (13), and
  // warning-spatial-outside-vocabularies fails upstream on its <.../country/XYZ> the same way as on NOR.
  { profile: 'dcat-ap', file: 'validation/dcat-ap/valid-full-dataset.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  {
    profile: 'dcat-ap',
    file: 'validation/dcat-ap/warning-access-rights-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  { profile: 'dcat-ap', file: 'validation/dcat-ap/warning-licence-outside-vocabulary.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  { profile: 'dcat-ap', file: 'validation/dcat-ap/warning-theme-without-data-theme.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  { profile: 'dcat-ap', file: 'validation/dcat-ap/warning-spatial-outside-vocabularies.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  { profile: 'dcat-ap', file: 'validation/dcat-ap/warning-unknown-media-type.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 2: the series' frequency, the agent's type.
  { profile: 'dcat-ap', file: 'validation/dcat-ap/valid-dataset-series.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // Both catalogues: 5 (spatial, language, theme taxonomy, licence, agent's type). Also CLASS_ON_LINKED_RECORDS
  // (2: dcat:dataset, dcat:service) and CLASS_ON_PAGES_AND_LAWS (1: homepage).
  { profile: 'dcat-ap', file: 'validation/dcat-ap/valid-full-catalog.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  {
    profile: 'dcat-ap',
    file: 'validation/dcat-ap/warning-catalog-without-data-theme-taxonomy.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  // 3: format, theme, agent's type. Also CLASS_ON_LINKED_RECORDS (1: dcat:servesDataset). The second: its only theme is
  // a EuroVoc concept, with the same three.
  { profile: 'dcat-ap', file: 'validation/dcat-ap/valid-full-data-service.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  {
    profile: 'dcat-ap',
    file: 'validation/dcat-ap/warning-data-service-theme-without-data-theme.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  // The full dataset's 14 and the catalogue record's 4: foaf:primaryTopic → dcat:Resource (CLASS_ON_LINKED_RECORDS),
  // language, change type (skos:Concept) and application profile (dct:Standard).
  { profile: 'dcat-ap', file: 'validation/dcat-ap/valid-catalog-record.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },

  // ---- dcat-ap-no fixtures ----
  // Ours (1): the agent <.../organizations/991825827> has no foaf:name.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-agent-without-name.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_AGENT_SHAPE_HAS_NO_TARGET,
  },
  // Ours (1): the agent's dct:type <https://katalog.example/utgivertyper/direktorat>, not an ADMS publisher type.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-agent-type-outside-vocabulary.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_AGENT_SHAPE_HAS_NO_TARGET,
  },
  // Ours (1): dcatap:availability <http://data.europa.eu/r5r/stable>, not in the EU planned-availability table.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-availability-outside-vocabulary.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_AVAILABILITY_PATH_TYPO,
  },
  // Ours (1): adms:status <https://katalog.example/status/ferdig>, a concept of no scheme.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-status-outside-vocabulary.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_STATUS_RESTRICTION_WITHOUT_MIN_COUNT,
  },
  // Ours (1): no theme from the EU data-theme table (a Los theme and a EuroVoc concept only); upstream: a Warning.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-theme-without-data-theme.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_DATA_THEME_IS_MANDATORY,
  },
  // Ours (1): dct:spatial <https://katalog.example/steder/norge>, from none of the spatial vocabularies.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/invalid-spatial-outside-vocabularies.ttl',
    ours: false,
    upstream: true,
    cause: DCATAPNO2_SPATIAL_VOCABULARY_IS_MANDATORY,
  },
  // 1: adms:status <.../distribution-status/COMPLETED>, from the EU table, not the ADMS status list.
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/valid-distribution-status-eu.ttl',
    ours: true,
    upstream: false,
    cause: EU_DISTRIBUTION_STATUS_ACCEPTED,
  },
  // 1: dct:license <https://data.norge.no/nlod/no/2.0>, not in the EU licence table (ours: a Warning).
  {
    profile: 'dcat-ap-no',
    file: 'validation/dcat-ap-no/warning-licence-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: LICENCE_VOCABULARY_IS_RECOMMENDED,
  },
  // 2: dcat:first, dcat:last → dcat:Dataset.
  { profile: 'dcat-ap-no', file: 'validation/dcat-ap-no/valid-dataset-series.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 3: dcat:dataset (x2, sh:or Dataset/DatasetSeries), dcat:service → dcat:DataService.
  { profile: 'dcat-ap-no', file: 'validation/dcat-ap-no/valid-full-catalog.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },
  // 1: dcat:servesDataset → dcat:Dataset.
  { profile: 'dcat-ap-no', file: 'validation/dcat-ap-no/valid-full-data-service.ttl', ours: true, upstream: false, cause: CLASS_ON_LINKED_RECORDS },

  // ---- dcat-ap-no-3 fixtures ----
  // The next five each hold the full dataset: 10 sh:class skos:Concept (language x2, theme x2, access rights,
  // frequency, licence, status, format, agent's type). Also MEDIA_TYPE_PATTERN_APPLICATION_ONLY (1: text/csv).
  {
    profile: 'dcat-ap-no-3',
    file: 'validation/dcat-ap-no-3/info-dataset-type-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/valid-full-dataset.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  {
    profile: 'dcat-ap-no-3',
    file: 'validation/dcat-ap-no-3/valid-spatial-administrative-unit.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  {
    profile: 'dcat-ap-no-3',
    file: 'validation/dcat-ap-no-3/warning-activity-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  {
    profile: 'dcat-ap-no-3',
    file: 'validation/dcat-ap-no-3/warning-theme-outside-vocabulary.ttl',
    ours: true,
    upstream: false,
    cause: CLASS_ON_VOCABULARY_VALUES,
  },
  // The same 10 + 1. Also UNTAGGED_TEXT_IS_A_WARNING (1: the keyword).
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/warning-untagged-keyword.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // The same 10 + 1. Also UNTAGGED_TEXT_IS_A_WARNING (1: the title).
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/warning-untagged-title.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 4: the series' theme, frequency and spatial, the agent's type.
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/valid-dataset-series.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 3: licence, language, agent's type.
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/valid-full-catalog.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 5: licence, access rights, format, agent's type, and :DataServiceShape-theme (its sh:or fails through the theme's
  // sh:class skos:Concept).
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/valid-full-data-service.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
  // 1: the theme's sh:class skos:Concept.
  { profile: 'dcat-ap-no-3', file: 'validation/dcat-ap-no-3/valid-minimal-dataset.ttl', ours: true, upstream: false, cause: CLASS_ON_VOCABULARY_VALUES },
];

// ---------------------------------------------------------------------------------------------------------
// Cases and verdicts
// ---------------------------------------------------------------------------------------------------------

interface Case {
  profile: string;
  /** Path under test/fixtures/. */
  file: string;
  load: () => Promise<Quad[]>;
}

const PROFILES = Object.keys(UPSTREAM_SHAPES);

function allCases(): Case[] {
  const cases: Case[] = [];
  for (const e of parseableExamples()) {
    for (const profile of PROFILES) {
      cases.push({ profile, file: `examples/${e.name}`, load: () => parseRdf(e.text, e.format.id, { baseIRI: 'http://example.com/' }) });
    }
  }
  // The classes/ fixtures exercise our rules class by class, nodes outside records included (which
  // upstream never targets); they are held to SHACL by fixtures.test.ts (rdf-validate-shacl on our
  // shapes), not to the upstream shapes: parity is judged on the examples and the per-kind fixtures.
  for (const f of validationFixtures()) {
    if (!f.name.startsWith('classes/')) cases.push({ profile: f.profile, file: `validation/${f.profile}/${f.name}`, load: () => readGraph(f.path) });
  }
  return cases;
}

const key = (c: { profile: string; file: string }) => `${c.profile} × ${c.file}`;

/** Our verdict, or undefined when the profile covers none of the document's records (not comparable). */
function ourVerdict(profile: string, data: Quad[]) {
  try {
    return validateDocument(data, resources(), profile);
  } catch (e) {
    if (e instanceof KatalogError && e.code === 'invalid-request') return undefined;
    throw e;
  }
}

let membershipIndex: Map<string, Quad[]> | undefined;
/**
 * The vocabularies' skos:inScheme triples that the document can reach: those about a term of the document
 * (and, transitively, about their objects). This gives the same report as adding all ~11,000 of them: no
 * upstream shape targets them or walks an inverse path (checked below). It was also checked with full reports
 * on all 202 comparable cases. It takes half the time.
 */
function reachableMembership(data: Quad[]): Quad[] {
  if (!membershipIndex) {
    membershipIndex = new Map();
    for (const q of membershipTriples()) {
      const list = membershipIndex.get(q.subject.value);
      if (list) list.push(q);
      else membershipIndex.set(q.subject.value, [q]);
    }
  }
  const seen = new Set<string>();
  const todo: string[] = [];
  for (const q of data) todo.push(q.subject.value, q.object.value);
  const out: Quad[] = [];
  while (todo.length) {
    const term = todo.pop()!;
    if (seen.has(term)) continue;
    seen.add(term);
    for (const q of membershipIndex.get(term) ?? []) {
      out.push(q);
      todo.push(q.object.value);
    }
  }
  return out;
}

const local = (iri: string) => iri.replace(/^.*[#/]/, '');

async function compare(c: Case) {
  const data = await c.load();
  const ours = ourVerdict(c.profile, data);
  if (!ours) return undefined;
  const upstream = await oracle(upstreamShapes(c.profile), [...data, ...reachableMembership(data)]);
  const oursV = ours.records.flatMap((r) =>
    r.results.filter((x) => x.severity === 'Violation').map((x) => `${local(x.focusNode.value)} ${local(x.path)} ${x.component}`),
  );
  const upstreamV = upstream.results
    .filter((r) => r.severity === 'Violation')
    .map((r) => `${local(r.focusNode.value)} ${local(r.path)} ${r.component}${r.value ? ` ${r.value}` : ''}`);
  return { ours: ours.conforms, upstream: upstream.conforms, detail: `ours: ${oursV.join('; ') || 'none'}\nupstream: ${upstreamV.join('; ') || 'none'}` };
}

// ---------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------

describe('upstream parity: our verdict agrees with rdf-validate-shacl on the official shapes', () => {
  const cases = allCases();
  const byKey = new Map(cases.map((c) => [key(c), c]));
  const known = new Map(KNOWN_DIFFERENCES.map((d) => [key(d), d]));

  it('every profile has upstream shapes, and every table entry names a distinct, comparable case', async () => {
    for (const p of resources().profiles.all()) expect(UPSTREAM_SHAPES[p.info.id], `no UPSTREAM_SHAPES for ${p.info.id}`).toBeDefined();
    expect(new Set(KNOWN_DIFFERENCES.map(key)).size, 'an entry is listed twice').toBe(KNOWN_DIFFERENCES.length);
    for (const e of KNOWN_DIFFERENCES) {
      const c = byKey.get(key(e));
      expect(c, `${key(e)} is not a case`).toBeDefined();
      expect(e.ours, `${key(e)}: an entry must be a disagreement`).not.toBe(e.upstream);
      expect(ourVerdict(c!.profile, await c!.load()), `${key(e)} is not comparable`).toBeDefined();
    }
    for (const d of KNOWN_DIFFERENCES) expect(CAUSES, `${key(d)}: cause not in CAUSES`).toContain(d.cause);
  });

  it('reachableMembership is sound: no upstream shape can see a vocabulary triple the document does not reach', () => {
    const SH = 'http://www.w3.org/ns/shacl#';
    const IN_SCHEME = 'http://www.w3.org/2004/02/skos/core#inScheme';
    for (const profile of PROFILES) {
      const shapes = upstreamShapes(profile);
      const uses = (p: string) => shapes.filter((q) => q.predicate.value === SH + p);
      for (const p of ['inversePath', 'zeroOrMorePath', 'oneOrMorePath', 'targetNode', 'sparql']) expect(uses(p), `${profile} uses sh:${p}`).toEqual([]);
      expect(
        uses('closed').filter((q) => q.object.value !== 'false'),
        `${profile} has a closed shape`,
      ).toEqual([]);
      const targets = [...uses('targetSubjectsOf'), ...uses('targetObjectsOf')].filter((q) => q.object.value === IN_SCHEME);
      expect(targets, `${profile} targets skos:inScheme`).toEqual([]);
    }
  });

  for (const c of cases) {
    const entry = known.get(key(c));
    if (entry) {
      it(`${key(c)} differs as known: ${entry.cause.name}`, async (ctx) => {
        const r = await compare(c);
        if (!r) return ctx.skip(`${c.profile} covers none of the records in ${c.file}`);
        expect(
          { ours: r.ours, upstream: r.upstream },
          `KNOWN_DIFFERENCES entry no longer true (${entry.cause.name}): update or remove it\n${r.detail}`,
        ).toEqual({ ours: entry.ours, upstream: entry.upstream });
      });
    } else {
      it(`${key(c)} agrees`, async (ctx) => {
        const r = await compare(c);
        if (!r) return ctx.skip(`${c.profile} covers none of the records in ${c.file}`);
        expect(r.ours, `verdicts differ (ours conforms: ${r.ours}, upstream conforms: ${r.upstream})\n${r.detail}`).toBe(r.upstream);
      });
    }
  }
});
