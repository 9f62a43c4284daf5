export {
  PREFECTURES,
  PREFECTURE_CODES,
  TOKYO_AREA,
  isPrefectureCode,
  isInTokyoArea,
  prefectureName,
  prefectureCode,
  prefectureCodeMessage,
  type Prefecture,
  type PrefectureCode,
} from './prefecture';
export {
  localGovernmentCheckDigit,
  normalizeLocalGovernmentCode,
  localGovernmentCode,
  municipalityCode,
  type LocalGovernmentCode,
  type LocalGovernmentCodeResult,
  type LocalGovernmentKind,
} from './local-government-code';
export {
  corporateCheckDigit,
  validateCorporateNumber,
  corporateNumber,
  type CorporateNumberResult,
} from './corporate-number';
