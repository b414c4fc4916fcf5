import { render, screen } from '@testing-library/react';
import React from 'react';

import type { SourceEditorContext } from '../sources/types';
import { DefaultSourceEditor } from './DefaultSourceEditor';

const props = (datasource: Partial<SourceEditorContext>) => ({
  refId: 'A',
  source: { type: 'default' as const },
  datasource: datasource as SourceEditorContext,
  explore: false,
  onChange: jest.fn(),
  onClear: jest.fn(),
  onBlur: jest.fn(),
});

describe('DefaultSourceEditor', () => {
  it('says the sample is read while no CloudWatch data source is chosen', () => {
    render(<DefaultSourceEditor {...props({})} />);
    expect(screen.getByText(/the bundled sample, as no CloudWatch data source is chosen/)).toBeInTheDocument();
  });

  it('says CloudWatch is read once the settings choose a CloudWatch data source', () => {
    render(
      <DefaultSourceEditor
        {...props({ cloudWatch: { uid: 'cw', region: 'default', logGroups: ['AWSIotLogsV2'], insightsOf: jest.fn() } })}
      />
    );
    expect(screen.getByText(/CloudWatch Logs Insights, through the CloudWatch data source/)).toBeInTheDocument();
  });
});
