import { invalidRequest, ProblemException } from '@bitro/http';
import type { FastifyRequest } from 'fastify';
import { UPLOAD_FIELD } from './brand-images.contracts';

const errorCode = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;
/** Whatever the multipart parser fails on is in the body the client sent. */
const malformed = () => new ProblemException(400, 'malformed-request', 'The body is not well-formed multipart/form-data.');
const missingFile = () => invalidRequest([{ in: 'body', pointer: `/${UPLOAD_FIELD}`, message: 'is required: the image as a multipart file' }]);

/** The uploaded file's bytes, read up to `maxBytes` (413 beyond: nothing larger is ever buffered). */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) throw new ProblemException(415, 'multipart-required', `Send the image as multipart/form-data in the field \`${UPLOAD_FIELD}\`.`);
  let file;
  try {
    file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch (error) {
    throw errorCode(error)?.startsWith('FST_') ? missingFile() : malformed();
  }
  if (!file || file.fieldname !== UPLOAD_FIELD) throw missingFile();
  try {
    return await file.toBuffer();
  } catch (error) {
    if (errorCode(error) === 'FST_REQ_FILE_TOO_LARGE') throw new ProblemException(413, 'image-too-large', `The file is larger than ${maxBytes} bytes.`);
    throw malformed();
  }
}
