import fc from 'fast-check';

import { classifyJson, entryTime } from './classify';
import { EVENT_TYPES } from './schema/registry';
import { awsReferenceExamples } from './testutils';

describe('the one accept rule', () => {
  it('classifyJson accepts exactly what entryTime accepts (the raw fast path), with the same time', () => {
    const eventType = fc.oneof(
      fc.constantFrom(...EVENT_TYPES.map((e) => e.eventType)),
      fc.constantFrom('NewThing', 'Publish-In', 'Connection.AuthNError', 'subscribe', 'connected', '', 'a b'),
      fc.string({ maxLength: 12 })
    );
    const timestamp = fc.oneof(
      fc.constantFrom(
        '2017-08-10 15:37:23.476',
        '2017-08-10T15:37:23.476Z',
        '2017-08-10 15:37:23',
        '2017-08-10 15:37:23.476123',
        '2017-08-10T15:37:23+02:00',
        '10/08/2017 15:37',
        ''
      ),
      fc.integer(),
      fc.string({ maxLength: 25 }),
      fc.constant(undefined)
    );
    fc.assert(
      fc.property(
        eventType,
        timestamp,
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
        (e, t, rest) => {
          const value: Record<string, unknown> = {
            ...rest,
            eventType: e,
            ...(t === undefined ? {} : { timestamp: t }),
          };
          if (t === undefined) {
            delete value.timestamp;
          }
          const classified = classifyJson(value);
          const time = entryTime(value);
          expect(classified.ok).toBe(time !== undefined);
          if (classified.ok) {
            expect(classified.time).toBe(time);
          }
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('accepts every AWS example', () => {
    for (const example of awsReferenceExamples()) {
      expect(classifyJson(example.json).ok).toBe(true);
    }
  });
});
