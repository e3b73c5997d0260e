import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { ValidationOutcome } from '../../catalog/body-work.js';
import type { PageLanguage } from '../../catalog/property-labels.js';
import { pickText, textsOf } from '../../catalog/record-view.js';
import type { ValidationResources } from '../../catalog/resources.js';
import type { BodyWork } from '../../catalog/work-pool.js';
import { KatalogError } from '../../core/errors.js';
import { clip } from '../../core/budgets.js';
import { kindInfo } from '../../core/kinds.js';
import { formatById, type FormatId, FORMATS, formatOfFileName } from '../../core/media-types.js';
import { rdfBodyOf } from '../rdf-bodies.js';
import { alternatesOf, canonicalUrl, type PageRenderer, pageEtag, pageLanguage, sendPage, STYLESHEET, TEMPLATE_TAG } from '../pages/page-renderer.js';
import { profileView } from '../pages/profile-view.js';
import { reportView } from '../pages/report-view.js';
import { stringsFor } from '../pages/strings.js';
import { isNotModified } from '../etags.js';
import { asKatalogError, toProblem } from '../problem.js';
import { type PageQuery, pageQuery, type ProfilePageQuery, profilePageQuery, type SlugParams, slugParams } from '../schemas.js';
import { PAGE } from './pages.js';

export interface ValidatorPageOptions {
  resources: ValidationResources;
  renderer: PageRenderer;
  work: BodyWork;
  /** The largest document the form takes (the body limit of every other request). */
  bodyLimit: number;
  /** Form posts per minute per client address, as for POST /validate. */
  rateLimit: number;
}

/** The syntaxes a pasted text may be in, by the names people know them by. */
const SYNTAX_NAMES: Record<FormatId, string> = {
  turtle: 'Turtle',
  jsonld: 'JSON-LD',
  ntriples: 'N-Triples',
  rdfxml: 'RDF/XML',
  nquads: 'N-Quads',
  trig: 'TriG',
};

/** What the form sent: the document (a file wins over pasted text) and the choices. */
interface FormInput {
  text?: string;
  file?: { name: string; bytes: Buffer };
  syntax?: string;
  profile?: string;
}

/**
 * The validator page for agency staff (docs/pages.md, The validator page), the profiles' and the
 * vocabularies' pages, and the stylesheet. The form is a plain multipart POST: it works without
 * JavaScript, and its report is POST /validate's, shown grouped by record and property.
 */
export async function validatorPageRoutes(app: FastifyInstance, options: ValidatorPageOptions): Promise<void> {
  const { resources, renderer, work, bodyLimit } = options;
  // Multipart bodies are read here only: every other route keeps its RDF body parser.
  await app.register(multipart, { limits: { fileSize: bodyLimit, fieldSize: bodyLimit, files: 1, fields: 6, parts: 7, headerPairs: 50 } });
  const limiter = app.rateLimit({ max: options.rateLimit, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip });

  app.get('/assets/katalog.css', async (request, reply) => {
    const etag = `"${TEMPLATE_TAG}"`;
    reply.header('cache-control', 'public, max-age=3600').header('etag', etag);
    if (isNotModified(request.headers, etag)) return reply.code(304).send();
    return reply.type('text/css; charset=utf-8').send(STYLESHEET);
  });

  const profileChoices = (chosen: string | undefined, lang: PageLanguage) => [
    { value: '', name: stringsFor(lang).defaultProfile, selected: !chosen },
    ...resources.profiles
      .all()
      .map((p) => ({ value: p.info.id, name: `${p.info.title[lang === 'en' ? 'en' : 'nb']} (${p.info.id})`, selected: p.info.id === chosen })),
  ];
  const syntaxChoices = (chosen: string | undefined, lang: PageLanguage) => [
    { value: '', name: stringsFor(lang).syntaxFromFile, selected: false },
    ...FORMATS.map((f) => ({ value: f.id, name: SYNTAX_NAMES[f.id], selected: f.id === (chosen || 'turtle') })),
  ];

  const validatorPage = (
    request: FastifyRequest,
    lang: PageLanguage,
    input: FormInput,
    outcome?: { report?: unknown; detail?: string; problem?: { detail: string } },
  ) =>
    renderer.render(
      'validator',
      lang,
      request,
      { title: stringsFor(lang).validateTitle, section: 'validator' },
      {
        // The pasted text is shown again for the publisher to fix, when it is short enough for a page.
        text: input.file || (input.text?.length ?? 0) > MAX_ECHOED ? undefined : input.text,
        textNotShown: !input.file && (input.text?.length ?? 0) > MAX_ECHOED,
        syntaxes: syntaxChoices(input.syntax, lang),
        profiles: profileChoices(input.profile, lang),
        ...outcome,
      },
    );

  /**
   * A page that changes only with a release (the validator form, profiles, vocabularies): 304 before
   * anything is rendered, and rendered once per URL and language.
   */
  const rendered = new LRUCache<string, string>({ maxSize: 8 * 2 ** 20, sizeCalculation: (page) => page.length });
  const fixedPage = (request: FastifyRequest, reply: FastifyReply, tag: string, render: (lang: PageLanguage) => string) => {
    const lang = pageLanguage(request);
    if (isNotModified(request.headers, pageEtag(tag, lang))) return sendPage(request, reply, lang, '', tag);
    const key = `${lang} ${canonicalUrl(request)}`;
    let page = rendered.get(key);
    if (page === undefined) rendered.set(key, (page = render(lang)));
    return sendPage(request, reply, lang, page, tag);
  };

  app.get<{ Querystring: PageQuery }>('/validate', { schema: { querystring: pageQuery }, constraints: PAGE }, async (request, reply) =>
    fixedPage(request, reply, 'validator', (lang) => validatorPage(request, lang, {})),
  );

  app.post<{ Querystring: PageQuery }>('/validate', { schema: { querystring: pageQuery }, constraints: PAGE, onRequest: [limiter] }, async (request, reply) => {
    const lang = pageLanguage(request);
    let input: FormInput = {};
    // A document that cannot be read is shown on the page, with its line and column, as the
    // problem POST /validate would answer, and with the problem's status.
    const outcome = await readForm(request, bodyLimit)
      .then(async (form) => {
        input = form;
        const { body, format } = documentOf(form);
        const result = (await work.run({
          task: 'validate',
          body,
          format,
          profileId: form.profile || undefined,
          answer: 'json',
          language: lang === 'en' ? 'en' : 'nb',
        })) as ValidationOutcome;
        const json = JSON.parse(result.json!) as { detail: string };
        return { report: reportView(json), detail: json.detail, status: result.conforms ? 200 : 422 };
      })
      .catch((error: unknown) => {
        const problem = toProblem(asKatalogError(error));
        if (problem.status >= 500) throw error;
        return { problem, status: problem.status };
      });
    reply.code(outcome.status);
    return sendPage(request, reply, lang, validatorPage(request, lang, input, outcome));
  });

  app.get<{ Querystring: PageQuery }>('/profiles', { schema: { querystring: pageQuery }, constraints: PAGE }, async (request, reply) =>
    fixedPage(request, reply, 'profiles', (lang) => {
      const profiles = resources.profiles.all().map(({ info }) => ({
        id: info.id,
        title: info.title[lang === 'en' ? 'en' : 'nb'],
        version: info.version,
        kinds: info.kinds.map((k) => kindInfo(k).label).join(', '),
        defaultFor: info.defaultFor.map((k) => kindInfo(k).label).join(', '),
      }));
      return renderer.render('profiles', lang, request, { title: stringsFor(lang).profiles, section: 'profiles' }, { profiles });
    }),
  );

  app.get<{ Params: SlugParams; Querystring: ProfilePageQuery }>(
    '/profiles/:id',
    { schema: { params: slugParams, querystring: profilePageQuery }, constraints: PAGE },
    async (request, reply) => {
      const profile = resources.profiles.get(request.params.id);
      if (!profile) throw new KatalogError('not-found', `There is no profile ${request.params.id}. See /profiles.`);
      const { shape } = request.query;
      if (shape !== undefined && profileView(profile, 'nb', shape).shapes.length === 0) {
        throw new KatalogError('not-found', `The profile ${profile.info.id} has no shape ${shape}.`);
      }
      return fixedPage(request, reply, `profile-${profile.info.id}-${profile.info.version}`, (lang) => {
        const view = profileView(profile, lang, shape);
        const alternates = alternatesOf(`/profiles/${profile.info.id}`);
        const title = view.shape ? `${view.shape} – ${view.profile.title}` : view.profile.title;
        return renderer.render('profile', lang, request, { title, section: 'profiles', alternates }, { ...view, alternates });
      });
    },
  );

  app.get<{ Querystring: PageQuery }>('/vocabularies', { schema: { querystring: pageQuery }, constraints: PAGE }, async (request, reply) =>
    fixedPage(request, reply, 'vocabularies', (lang) => {
      const vocabularies = resources.vocabularies.vocabularies.map((v) => ({ ...v, title: v.title[lang === 'en' ? 'en' : 'nb'] }));
      return renderer.render('vocabularies', lang, request, { title: stringsFor(lang).vocabularies, section: 'vocabularies' }, { vocabularies });
    }),
  );

  app.get<{ Params: SlugParams; Querystring: PageQuery }>(
    '/vocabularies/:id',
    { schema: { params: slugParams, querystring: pageQuery }, constraints: PAGE },
    async (request, reply) => {
      const vocabulary = resources.vocabularies.byId(request.params.id);
      if (!vocabulary) throw new KatalogError('not-found', `There is no vocabulary ${request.params.id}. See /vocabularies.`);
      return fixedPage(request, reply, `vocabulary-${vocabulary.id}-${vocabulary.version ?? ''}`, (lang) => {
        const schemes = vocabulary.schemes?.map((s) => s.iri) ?? [vocabulary.scheme];
        const concepts = schemes.flatMap((scheme) => resources.vocabularies.conceptsOf(scheme));
        const shown = concepts.slice(0, MAX_CONCEPTS).map((c) => ({ iri: c.iri, label: pickText(textsOf(c.labels), lang) ?? { text: c.iri, lang: '' } }));
        const alternates = alternatesOf(`/vocabularies/${vocabulary.id}`);
        const title = vocabulary.title[lang === 'en' ? 'en' : 'nb'];
        const body = renderer.render(
          'vocabulary',
          lang,
          request,
          { title, section: 'vocabularies', alternates },
          {
            vocabulary: { ...vocabulary, title },
            concepts: shown,
            omitted: concepts.length - shown.length,
            alternates,
          },
        );
        return body;
      });
    },
  );
}

/** The concepts a vocabulary's page lists (the page stays under 100 KB; the RDF has them all). */
const MAX_CONCEPTS = 400;

/** The document of a form: an uploaded file (its syntax by its name, else the chosen one), or the pasted text. */
function documentOf(form: FormInput): { body: string | Uint8Array; format: FormatId } {
  const chosen = FORMATS.find((f) => f.id === form.syntax)?.id;
  if (form.file && form.file.bytes.length > 0) {
    const format = formatOfFileName(form.file.name)?.id ?? chosen;
    if (!format) throw new KatalogError('invalid-request', 'Choose the syntax of the file: its name does not say it.');
    return { body: new Uint8Array(form.file.bytes), format };
  }
  if (!form.text?.trim()) throw new KatalogError('invalid-request', 'Paste a document or choose a file to validate.');
  return { body: form.text, format: chosen ?? 'turtle' };
}

/** The longest pasted text shown again in the form (escaped, it may take up to six times as many bytes). */
const MAX_ECHOED = 8 * 1024;

/** What a form may carry besides its document: the boundaries, the headers and the short fields of the validator form. */
const FORM_OVERHEAD = 64 * 1024;

/** What the multipart reader's refusals mean to the person who sent the form. */
const FORM_LIMITS: Record<string, string> = {
  FST_REQ_FILE_TOO_LARGE: 'The file is larger than the most a request may send ({limit} bytes).',
  FST_FILES_LIMIT: 'The form sends one file at most.',
  FST_FIELDS_LIMIT: 'The form has more fields than the validator form sends.',
  FST_PARTS_LIMIT: 'The form has more parts than the validator form sends.',
};

/**
 * The fields and the file of a multipart form; a field or a file over the limit is refused (413),
 * not cut, and a body that is not well-formed multipart is a 400 (the reader's own errors are
 * translated here, where they enter).
 */
async function readForm(request: FastifyRequest, bodyLimit: number): Promise<FormInput> {
  // An RDF body (a client that prefers HTML but posts as POST /validate takes it) is the document itself.
  if (!request.isMultipart()) {
    const { body, format } = rdfBodyOf(request);
    return { file: { name: `document.${formatById(format).ext}`, bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength) } };
  }
  // The whole form is bounded by what it may carry (a document of bodyLimit and a few fields),
  // before a byte of it is read: the multipart reader bounds each part, not their sum.
  const declared = Number(request.headers['content-length']);
  if (!Number.isInteger(declared)) throw new KatalogError('invalid-request', 'Send the form with its Content-Length, as browsers do.');
  if (declared > bodyLimit + FORM_OVERHEAD)
    throw new KatalogError('payload-too-large', FORM_LIMITS.FST_REQ_FILE_TOO_LARGE!.replace('{limit}', String(bodyLimit)));
  const form: FormInput = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A form without a chosen file still sends the field, empty.
        if (part.fieldname === 'file' && (part.filename || bytes.length > 0)) form.file = { name: part.filename, bytes };
      } else {
        if (part.valueTruncated)
          throw new KatalogError('payload-too-large', `The field ${clip(part.fieldname, 64)} is larger than the most a request may send (${bodyLimit} bytes).`);
        if (part.fieldname === 'text' || part.fieldname === 'syntax' || part.fieldname === 'profile') form[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof KatalogError) throw error;
    const code = (error as { code?: string }).code ?? '';
    const limit = FORM_LIMITS[code];
    if (limit) throw new KatalogError('payload-too-large', limit.replace('{limit}', String(bodyLimit)));
    throw new KatalogError('invalid-request', `The form is not well-formed multipart/form-data: ${clip((error as Error).message, 200)}.`);
  }
  return form;
}
