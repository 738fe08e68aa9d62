import { applyDecorators } from '@nestjs/common';
import { isLocalDate, isMonth } from '#domain';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  type ValidationArguments,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

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

/**
 * The years a fact may fall in. A typo such as 20244-01-01 or 0024-01-01 would otherwise be
 * recorded for good (events are immutable) and stretch every series and horizon built on it.
 */
export const FIRST_YEAR = 1945;
export const LAST_YEAR = 2100;

function withinYears(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** A real calendar day written YYYY-MM-DD, from 1945 to 2100: 2024-02-30 is refused. */
export const IsLocalDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value) => isLocalDate(value) && withinYears(value),
        defaultMessage: (args?: ValidationArguments) =>
          isLocalDate(args?.value)
            ? `$property must fall in the years ${FIRST_YEAR} to ${LAST_YEAR}`
            : '$property must be a real calendar date written YYYY-MM-DD',
      },
    },
    options,
  );

export const IsMonth = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isMonth',
      validator: {
        validate: (value) => isMonth(value) && withinYears(value),
        defaultMessage: (args?: ValidationArguments) =>
          isMonth(args?.value)
            ? `$property must fall in the years ${FIRST_YEAR} to ${LAST_YEAR}`
            : '$property must be a month written YYYY-MM',
      },
    },
    options,
  );

/** Text with something in it: a name of spaces alone names nothing. */
export const IsNotBlank = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value === 'string' && value.trim() !== '',
        defaultMessage: () => '$property must not be empty or only spaces',
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
          Number.isInteger(value) &&
          (value as number) >= FIRST_YEAR &&
          (value as number) <= LAST_YEAR,
        defaultMessage: () => `$property must be a year between ${FIRST_YEAR} and ${LAST_YEAR}`,
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

/**
 * A query parameter written exactly `true` or `false`, read as a boolean; anything else is
 * refused (query strings carry no booleans, and `Boolean('false')` would be true).
 */
export const IsQueryBoolean = (options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    IsBoolean(options),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
  );
