import { getDefaultQuery } from '../types';
import { RunReports, type RunReport } from './runReport';

const report = (refId: string, state: RunReport['state'] = 'done'): RunReport => ({
  refId,
  state,
  query: { refId, ...getDefaultQuery() },
});

describe('RunReports', () => {
  it('finds a query of a request, and of a request Grafana ran through its Mixed data source', () => {
    const reports = new RunReports();
    reports.set('Q1', report('A'));
    reports.set('mixed-1-Q2', report('B', 'error'));
    expect(reports.get('Q1', 'A')?.state).toBe('done');
    expect(reports.get('Q2', 'B')?.state).toBe('error');
    expect(reports.get('Q2', 'A')).toBeUndefined();
    expect(reports.get('2', 'B')).toBeUndefined();
    expect(reports.get(undefined, 'A')).toBeUndefined();
  });

  it('tells its listeners of every change and keeps the last requests only', () => {
    const reports = new RunReports(2);
    const listener = jest.fn();
    const stop = reports.subscribe(listener);
    reports.set('r1', report('A'));
    reports.set('r2', report('A'));
    reports.set('r3', report('A'));
    expect(listener).toHaveBeenCalledTimes(3);
    expect(reports.get('r1', 'A')).toBeUndefined();
    expect(reports.get('r3', 'A')).toBeDefined();
    stop();
    reports.set('r4', report('A'));
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
