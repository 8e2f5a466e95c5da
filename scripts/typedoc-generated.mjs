// TypeDoc plugin (typedoc.json "plugin"): how the API reference shows fields that come from
// generated/openapi.ts, the types openapi-typescript writes from the pinned OpenAPI fragment.
//
// - openapi-typescript puts a field's text in `@description`; TypeDoc would show it as a separate
//   "Description" block, so it becomes the field's summary instead.
// - Many fields have no description in the upstream spec (`id`, `model`, most beta session fields).
//   `validation.notDocumented` would fail the build on every one of them, and their text is not
//   ours to write (generated/ is rebuilt from the spec). They get a summary saying exactly that, so
//   the reader knows the spec is silent, and the check stays strict for every hand-written export.
import { Comment, Converter, ReflectionKind } from 'typedoc';

const GENERATED = 'generated/openapi.ts';
const UNDESCRIBED = 'Not described in the pinned OpenAPI fragment.';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const reflection of Object.values(project.reflections)) {
      if (project.getSymbolIdFromReflection(reflection)?.packagePath !== GENERATED) continue;
      const comment = reflection.comment;
      const description = comment?.getTag('@description');
      if (comment && description) {
        // A title line (`Client secret expiration`) stays its own paragraph.
        const title = comment.summary.length > 0 ? [...comment.summary, { kind: 'text', text: '\n\n' }] : [];
        comment.summary = [...title, ...description.content];
        comment.removeTags('@description');
      } else if (!reflection.hasComment() && reflection.kindOf(ReflectionKind.Property)) {
        reflection.comment = new Comment([{ kind: 'text', text: UNDESCRIBED }]);
      }
    }
  });
}
