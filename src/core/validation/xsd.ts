import { XSD } from '../namespaces.js';

/**
 * Lexical forms of the XML Schema datatypes the profiles use, so that "not-a-date"^^xsd:date fails
 * sh:datatype as SHACL requires (an ill-typed literal is not of its datatype). Other datatypes are
 * accepted as written.
 */
const TZ = '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?';
const DATE = '-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?|24:00:00(\\.0+)?';

const LEXICAL: Record<string, RegExp> = {
  [XSD('date')]: new RegExp(`^${DATE}${TZ}$`),
  [XSD('dateTime')]: new RegExp(`^${DATE}T(${TIME})${TZ}$`),
  [XSD('gYear')]: new RegExp(`^-?\\d{4,}${TZ}$`),
  [XSD('gYearMonth')]: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])${TZ}$`),
  [XSD('integer')]: /^[+-]?\d+$/,
  [XSD('nonNegativeInteger')]: /^(\+?\d+|-0+)$/,
  [XSD('positiveInteger')]: /^\+?0*[1-9]\d*$/,
  [XSD('decimal')]: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  [XSD('double')]: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/,
  [XSD('float')]: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/,
  [XSD('boolean')]: /^(true|false|1|0)$/,
  [XSD('duration')]: /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
};

/** The value spaces of the bounded integer types: a lexical form outside them is ill-typed ("300"^^xsd:byte). */
const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  [XSD('byte')]: [-128n, 127n],
  [XSD('short')]: [-32768n, 32767n],
  [XSD('int')]: [-2147483648n, 2147483647n],
  [XSD('long')]: [-9223372036854775808n, 9223372036854775807n],
  [XSD('unsignedByte')]: [0n, 255n],
  [XSD('unsignedShort')]: [0n, 65535n],
  [XSD('unsignedInt')]: [0n, 4294967295n],
  [XSD('unsignedLong')]: [0n, 18446744073709551615n],
  [XSD('negativeInteger')]: [-(10n ** 4096n), -1n],
  [XSD('nonPositiveInteger')]: [-(10n ** 4096n), 0n],
};
const INTEGER = /^[+-]?\d{1,4096}$/;

/** Whether `lexical` is a well-formed literal of `datatype`; datatypes Katalog does not know are taken as written. */
export function wellFormed(lexical: string, datatype: string): boolean {
  const range = INTEGER_RANGES[datatype];
  if (range) {
    if (!INTEGER.test(lexical)) return false;
    const n = BigInt(lexical);
    return n >= range[0] && n <= range[1];
  }
  const pattern = LEXICAL[datatype];
  return pattern ? pattern.test(lexical) : true;
}
