// The GraphQL client. Documents are the files in graphql/operations/, which the server knows
// by id (persisted documents, backend/api/persisted.py): the page carries each one's id, and a
// request sends `documentId` rather than the text, so the interface sends exactly what the
// tests validate without waiting on a file first. A document the server does not know by that
// id (its documents changed since the page was loaded) is fetched from
// /operations/<Name>.graphql and sent as text instead.

/** A failure the person cannot fix by changing their input: shown in the page banner. */
export class UnexpectedError extends Error {
  constructor(message, { requestId = null } = {}) {
    super(message);
    this.name = 'UnexpectedError';
    this.requestId = requestId;
  }
}

const documents = new Map();

function inlined() {
  try {
    return JSON.parse(document.getElementById('rungs-document-ids')?.textContent ?? '{}');
  } catch {
    return {};
  }
}
// Name -> persisted id; a name the server turned down by id is sent as text from then on.
const documentIds = new Map(Object.entries(inlined()));

function loadDocument(name) {
  if (!documents.has(name)) {
    const loaded = fetch(`/operations/${encodeURIComponent(name)}.graphql`, { credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) {
          throw new UnexpectedError(`The ${name} request could not be loaded (HTTP ${response.status}).`);
        }
        return response.text();
      })
      .catch((error) => {
        documents.delete(name);
        throw error instanceof UnexpectedError ? error : unreachable();
      });
    documents.set(name, loaded);
  }
  return documents.get(name);
}

function unreachable() {
  return new UnexpectedError('Rungs could not be reached. Check your connection and try again.');
}

async function post(body) {
  try {
    return await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw unreachable();
  }
}

async function send(name, variables) {
  const documentId = documentIds.get(name);
  if (documentId !== undefined) {
    const response = await post({ documentId, variables, operationName: name });
    // 400 to a persisted id: the server does not know it (a deploy changed the documents
    // since this page loaded). The text, fetched anew, is the one it answers now.
    if (response.status !== 400) return response;
    documentIds.delete(name);
  }
  return post({ query: await loadDocument(name), variables, operationName: name });
}

/** Runs the named operation and resolves to its `data`; anything else is an UnexpectedError. */
export async function request(name, variables = {}) {
  const response = await send(name, variables);
  const requestId = response.headers.get('x-request-id');
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body?.errors?.length) {
    throw new UnexpectedError(body.errors.map((error) => error.message).join(' '), { requestId });
  }
  if (!response.ok || !body?.data) {
    throw new UnexpectedError(`Rungs answered with an error (HTTP ${response.status}).`, { requestId });
  }
  return body.data;
}

/**
 * Runs a mutation and resolves to its payload (`{ ..., errors }`). Expected failures come
 * back in `errors` for the form to show; unexpected ones throw.
 */
export async function mutate(name, input) {
  const data = await request(name, input === undefined ? {} : { input });
  const [payload] = Object.values(data);
  return payload;
}

/** Every node of a connection, page by page (for choosers that need the whole list). */
export async function everyNode(name, field, variables = {}) {
  const nodes = [];
  let after = null;
  for (;;) {
    const data = await request(name, { ...variables, first: 100, after });
    const connection = data[field];
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
}
