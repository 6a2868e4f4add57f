import { describe, expect, it } from 'vitest';
import { parseSavedDate } from '../../eval/savedDate.js';

describe('parseSavedDate: every saved_date form of the corpus MANIFEST becomes a UTC day', () => {
  it('reads an HTTP Date header as its GMT day', () => {
    expect(parseSavedDate('Mon, 10 Apr 2017 17:28:28 GMT (HTTP Date header)')).toMatchObject({ day: '2017-04-10', precision: 'day', kind: 'http-date' });
    expect(parseSavedDate('Sat, 1 Feb 2020 00:00:01 GMT')).toMatchObject({ day: '2020-02-01', kind: 'http-date' });
  });

  it('reads `<= ISO timestamp` as an upper bound, converted to UTC across midnight', () => {
    expect(parseSavedDate('<= 2017-04-09T13:40:05+02:00 (commit)')).toMatchObject({ day: '2017-04-09', kind: 'upper-bound' });
    // 20:17 at UTC-5 is 01:17 the next day in UTC
    expect(parseSavedDate('<= 2017-01-28T20:17:26-05:00 (commit adding it)').day).toBe('2017-01-29');
    // 00:30 at UTC+2 is 22:30 the previous day in UTC
    expect(parseSavedDate('<= 2016-08-05T00:30:00+02:00').day).toBe('2016-08-04');
    expect(parseSavedDate('<= 2016-08-05T10:00:00Z').day).toBe('2016-08-05');
    expect(parseSavedDate('<= 2016-08-05T10:00:00+0530').day).toBe('2016-08-05');
  });

  it('reads `<= DATE` without a time as that calendar day', () => {
    expect(parseSavedDate('<= 2015-09-03 (commit adding it)')).toMatchObject({ day: '2015-09-03', kind: 'upper-bound', precision: 'day' });
    expect(parseSavedDate('<= 2016-08-17 (initial commit, ~1 month after KAT shutdown)').day).toBe('2016-08-17');
  });

  it('reads `~YEAR` and `~YEAR-MM` as the first day of the period, keeping the precision', () => {
    expect(parseSavedDate('~2018 (JS crypto-miner crawl)')).toMatchObject({ day: '2018-01-01', precision: 'year', kind: 'approximate' });
    expect(parseSavedDate('~2018-03')).toMatchObject({ day: '2018-03-01', precision: 'month', kind: 'approximate' });
  });

  it('reads `date in filename` from the source path, dd_mm_yyyy and dd-mm-yyyy', () => {
    expect(parseSavedDate('date in filename (dd_mm_yyyy)', 'tests/fixtures/js_challenge_09_06_2016.html')).toMatchObject({ day: '2016-06-09', kind: 'filename' });
    expect(parseSavedDate('date in filename', 'tests/fixtures/js_challenge-27-05-2020.html').day).toBe('2020-05-27');
    expect(parseSavedDate('date in filename', 'fixtures/page_2019-04-15.html').day).toBe('2019-04-15');
  });

  it('gives no day for n/a, a filename without a date, or an impossible date', () => {
    expect(parseSavedDate('n/a (shipped default)')).toMatchObject({ day: null, precision: 'none', kind: 'unknown' });
    expect(parseSavedDate('date in filename', 'fixtures/challenge.html').day).toBeNull();
    expect(parseSavedDate('<= 2017-02-30').day).toBeNull();
    expect(parseSavedDate('Mon, 31 Jun 2017 10:00:00 GMT').day).toBeNull();
    expect(parseSavedDate('').day).toBeNull();
    expect(parseSavedDate('yesterday').day).toBeNull();
  });

  it('keeps the raw text for the report', () => {
    expect(parseSavedDate('~2018').raw).toBe('~2018');
  });
});
