import { Box, Text } from 'ink';
import { useEffect } from 'react';
import { ResultPane } from '../components/ResultPane.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useVersion } from '../hooks/useVersion.js';
import type { ResultModel } from '../model/resultModel.js';

/** The output of any `:` command, rendered from its data as the CLI would print it. */
export function ResultView({ model, width, height, active }: { model: ResultModel; width: number; height: number; active: boolean }) {
  const { dispatch } = useConsole();
  useVersion(model);
  useEffect(() => {
    if (active) dispatch({ type: 'shown', model });
  }, [model, active, dispatch]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        :{model.label}
      </Text>
      <ResultPane model={model} width={width} height={height - 1} active={active} />
    </Box>
  );
}
