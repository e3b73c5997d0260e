/**
 * Lexical forms of the XML Schema datatypes the profiles use, so that "not-a-date"^^xsd:date fails
 * sh:datatype as SHACL requires (an ill-typed literal is not of its datatype). Other datatypes are
 * accepted as written.
 */
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const TZ = '(Z|[+-](0\\d|1[0-4]):[0-5]\\d)?';
const DATE = '-?\\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?|24:00:00(\\.0+)?';

const LEXICAL: Record<string, RegExp> = {
  [XSD + 'date']: new RegExp(`^${DATE}${TZ}$`),
  [XSD + 'dateTime']: new RegExp(`^${DATE}T(${TIME})${TZ}$`),
  [XSD + 'gYear']: new RegExp(`^-?\\d{4,}${TZ}$`),
  [XSD + 'gYearMonth']: new RegExp(`^-?\\d{4,}-(0[1-9]|1[0-2])${TZ}$`),
  [XSD + 'integer']: /^[+-]?\d+$/,
  [XSD + 'nonNegativeInteger']: /^(\+?\d+|-0+)$/,
  [XSD + 'positiveInteger']: /^\+?0*[1-9]\d*$/,
  [XSD + 'decimal']: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  [XSD + 'double']: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/,
  [XSD + 'float']: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/,
  [XSD + 'boolean']: /^(true|false|1|0)$/,
  [XSD + 'duration']: /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
};

export function wellFormed(lexical: string, datatype: string): boolean {
  const pattern = LEXICAL[datatype];
  return pattern ? pattern.test(lexical) : true;
}
