import { isLocalDate, isMonth } from '#domain';
import { type ValidationArguments, ValidateBy, type ValidationOptions } from 'class-validator';

/** Codes and ids chosen by users: unit codes, agent ids, participant numbers. */
export const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const ENTITY_ID_RULE =
  'must be 1 to 64 letters, digits, or . _ : - (starting with a letter or digit)';

export const IsEntityId = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isEntityId',
      validator: {
        validate: (value) => typeof value === 'string' && ENTITY_ID.test(value),
        defaultMessage: () => `$property ${ENTITY_ID_RULE}`,
      },
    },
    options,
  );

/** A real calendar day written YYYY-MM-DD: 2024-02-30 is refused. */
export const IsLocalDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value) => isLocalDate(value),
        defaultMessage: () => '$property must be a real calendar date written YYYY-MM-DD',
      },
    },
    options,
  );

export const IsMonth = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isMonth',
      validator: {
        validate: (value) => isMonth(value),
        defaultMessage: () => '$property must be a month written YYYY-MM',
      },
    },
    options,
  );

/** Whole, non-negative, and exact in a JavaScript number: counts of people and VND amounts. */
export const IsWholeNumber = (options?: ValidationOptions & { positive?: boolean }) =>
  ValidateBy(
    {
      name: 'isWholeNumber',
      validator: {
        validate: (value) =>
          Number.isSafeInteger(value) && (value as number) >= (options?.positive ? 1 : 0),
        defaultMessage: () =>
          `$property must be a whole number ${options?.positive ? 'greater than 0' : 'of 0 or more'}`,
      },
    },
    options,
  );

/** The date (or month) must not be earlier than the one in `property`. */
export const IsOnOrAfter = (property: string, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isOnOrAfter',
      constraints: [property],
      validator: {
        validate: (value, { object }: ValidationArguments) => {
          const other = (object as Record<string, unknown>)[property];
          return typeof value !== 'string' || typeof other !== 'string' || value >= other;
        },
        defaultMessage: ({ constraints }: ValidationArguments) =>
          `$property must not be earlier than ${constraints[0]}`,
      },
    },
    options,
  );

export const IsYear = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isYear',
      validator: {
        validate: (value) =>
          Number.isInteger(value) && (value as number) >= 1945 && (value as number) <= 2100,
        defaultMessage: () => '$property must be a year between 1945 and 2100',
      },
    },
    options,
  );

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A moment written in ISO 8601 with its offset, e.g. 2024-10-31T17:00:00+07:00. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** A moment in ISO 8601 with its offset, and not in the future (a record time to read back at). */
export const IsPastInstant = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPastInstant',
      validator: {
        validate: (value) => isInstant(value) && Date.parse(value) <= Date.now(),
        defaultMessage: (args?: ValidationArguments) =>
          isInstant(args?.value)
            ? '$property must not be in the future'
            : '$property must be a time in ISO 8601 with its offset, e.g. 2024-10-31T17:00:00+07:00',
      },
    },
    options,
  );
